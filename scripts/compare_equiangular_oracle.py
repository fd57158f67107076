#!/usr/bin/python3
"""Cross-check (not a dependency): |normdyn equiangular - independent mpmath reference| for the six schemes.
Usage: scripts/compare_equiangular_oracle.py PATH/TO/normdyn   (n = 8, beta = 1, t-end = 2, default tolerances)"""
import json, subprocess, sys
from mpmath import mp, mpf
mp.dps = 50
exe = sys.argv[1]
oracle = {}
for line in subprocess.run(["/usr/bin/python3", "scripts/reference_equiangular.py", "--all", "--n", "8", "--beta", "1", "--t-end", "2", "--digits", "30"], capture_output=True, text=True).stdout.splitlines():
    d = json.loads(line); oracle[d["scheme"]] = mpf(d["gamma"])
for s, g in oracle.items():
    out = json.loads(subprocess.run([exe, "equiangular", "--scheme", s, "--n", "8", "--beta", "1", "--t-end", "2", "--json"], capture_output=True, text=True).stdout)
    print(f"{s:11s} normdyn {out['final']['gamma']!r:22} |error| {float(abs(mpf(out['final']['gamma']) - g)):.2e}")
