#!/usr/bin/env bash
# The README's two commands:
#   scripts/run.sh reproduce   install what is missing, build, run `normdyn reproduce` (writes reports/)
#   scripts/run.sh test        install what is missing, build, run the whole test suite (CTest)
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { echo "usage: scripts/run.sh reproduce|test [extra arguments for normdyn reproduce]" >&2; exit 2; }
[ $# -ge 1 ] || usage
task=$1; shift

scripts/install-deps.sh
cmake --preset release
cmake --build --preset release

case "$task" in
  reproduce) exec build/release/analysis/normdyn reproduce "$@" ;;
  test) exec ctest --preset release "$@" ;;
  *) usage ;;
esac
