// solve() for normdyn::mp100: one translation unit per scalar type keeps the odeint instantiations apart.
#include "solver.ipp"

NORMDYN_INSTANTIATE_SOLVE(normdyn::mp100)
