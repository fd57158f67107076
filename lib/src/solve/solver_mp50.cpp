// solve() for normdyn::mp50: one translation unit per scalar type keeps the odeint instantiations apart.
#include "solver.ipp"

NORMDYN_INSTANTIATE_SOLVE(normdyn::mp50)
