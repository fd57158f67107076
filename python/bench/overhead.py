"""The module's overhead: normdyn.simulate against the same solve inside the command line.

Runs `normdyn simulate --json` (the solver's own wall time, stats.wall_s, and the whole process) and
normdyn.simulate with the same flags (the whole call, flag parsing to arrays), REPEATS times each, and prints
the medians. Usage (from the build's environment):

    PYTHONPATH=build/release/python /usr/bin/python3 python/bench/overhead.py build/release/analysis/normdyn [--n 32 --d 64 ...]
"""
import json
import statistics
import subprocess
import sys
import time

import normdyn

REPEATS = 9


def main():
    exe, flags = sys.argv[1], sys.argv[2:] or ["--n", "32", "--d", "64"]
    kwargs = {flags[i].lstrip("-").replace("-", "_"): flags[i + 1] for i in range(0, len(flags), 2)}
    cli_solve, cli_process, py_call, py_solve, py_first = [], [], [], [], []
    # The first call in a fresh interpreter, like the command line's one solve per process (the library's state
    # pool serves later solves in one process from pages already faulted in).
    first = ("import sys, time, normdyn; kw = dict(zip(sys.argv[1::2], sys.argv[2::2])); "
             "s = time.perf_counter(); normdyn.simulate(**kw); print(time.perf_counter() - s)")
    keyword_args = [x for key, value in kwargs.items() for x in (key, value)]
    for _ in range(REPEATS):
        start = time.perf_counter()
        out = subprocess.run([exe, "simulate", *flags, "--json"], capture_output=True, text=True, check=True).stdout
        cli_process.append(time.perf_counter() - start)
        cli_solve.append(json.loads(out)["stats"]["wall_s"])
        start = time.perf_counter()
        tr = normdyn.simulate(**kwargs)
        py_call.append(time.perf_counter() - start)
        py_solve.append(tr.stats["wall_s"])
        py_first.append(float(subprocess.run([sys.executable, "-c", first, *keyword_args], capture_output=True,
                                             text=True, check=True).stdout))
    med = statistics.median
    print(f"flags: {' '.join(flags)}  ({REPEATS} runs each, medians; steps {tr.stats['steps']})")
    print(f"command line: solve {med(cli_solve) * 1e3:.2f} ms, whole process {med(cli_process) * 1e3:.2f} ms")
    print(f"Python:       solve {med(py_solve) * 1e3:.2f} ms, whole call {med(py_call) * 1e3:.2f} ms")
    print(f"Python, first call in a fresh interpreter: {med(py_first) * 1e3:.2f} ms")
    print(f"whole Python call / command line's solve: {med(py_call) / med(cli_solve):.3f} (repeated), "
          f"{med(py_first) / med(cli_solve):.3f} (first call)")


if __name__ == "__main__":
    main()
