#!/usr/bin/env bash
# Installs the Debian 12 packages normdyn needs to build, test and draw its figures.
# Idempotent: when every package is already installed it does nothing (no apt-get update either).
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libboost-dev libboost-iostreams-dev libboost-filesystem-dev
  libeigen3-dev libopenblas-dev
  catch2
  libmpfr-dev libmpfi-dev libgmp-dev
  libgnuplot-iostream-dev gnuplot-nox
  libcli11-dev nlohmann-json3-dev libfmt-dev
  python3-numpy python3-scipy python3-mpmath
  libopenmpi-dev openmpi-bin
  pybind11-dev python3-dev python3-pytest
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
# gnuplot-nox in the same command keeps libgnuplot-iostream-dev from pulling the Qt gnuplot.
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
