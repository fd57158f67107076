// solve() for long double: one translation unit per scalar type keeps the odeint instantiations apart.
#include "solver.ipp"

NORMDYN_INSTANTIATE_SOLVE(long double)
