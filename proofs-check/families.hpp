// The check families of proofs-check/, one file each; registry() (check.cpp) calls them in this order.
#pragma once

#include "check.hpp"

#include <vector>

namespace normdyn::checks {

void add_theorem31_checks(std::vector<CheckDefinition>& checks);  // thm31_clustering.cpp
void add_theorem41_checks(std::vector<CheckDefinition>& checks);  // thm41_symmetric.cpp
void add_theorem42_checks(std::vector<CheckDefinition>& checks);  // thm42_small_attention.cpp
void add_theorem43_checks(std::vector<CheckDefinition>& checks);  // thm43_cone.cpp
void add_energy_checks(std::vector<CheckDefinition>& checks);     // energy.cpp
void add_section6_checks(std::vector<CheckDefinition>& checks);   // section6_failures.cpp
void add_peers_checks(std::vector<CheckDefinition>& checks);      // peers_numerics.cpp
void add_layers_checks(std::vector<CheckDefinition>& checks);     // layers.cpp
void add_order_checks(std::vector<CheckDefinition>& checks);      // order_convergence.cpp
void add_certified_checks(std::vector<CheckDefinition>& checks);  // certified.cpp

}  // namespace normdyn::checks
