# Claims: Ctrl-C (SIGINT) stops a long solve within a second and raises KeyboardInterrupt, the GIL is released
# while solving (another Python thread runs meanwhile); the module imports from its .so alone.
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

import pytest

import normdyn

LONG_RUN = dict(n=128, d=32, t_end=40, samples=2, stepper="rk4", dt=1e-3)  # ~13 s of steps (0.34 s per 1000)


def test_sigint_stops_a_long_solve_within_a_second():
    sent = []

    def interrupt():
        sent.append(time.monotonic())
        os.kill(os.getpid(), signal.SIGINT)

    timer = threading.Timer(0.5, interrupt)
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        normdyn.simulate(**LONG_RUN)
    stopped = time.monotonic()
    timer.join()
    assert sent and stopped - sent[0] < 1.0, f"stopped {stopped - sent[0]:.3f} s after SIGINT"


def test_gil_is_released_while_solving():
    ticks = []
    done = threading.Event()

    def count():
        while not done.is_set():
            ticks.append(1)
            time.sleep(0.01)

    counter = threading.Thread(target=count)
    counter.start()
    try:
        normdyn.simulate(n=64, d=32, t_end=20, samples=2, stepper="rk4", dt=1e-2)
    finally:
        done.set()
        counter.join()
    assert len(ticks) > 5


def test_the_module_imports_from_its_shared_object_alone(tmp_path):
    shutil.copy(normdyn.__file__, tmp_path)
    script = ("import normdyn, sys; tr = normdyn.simulate(n=4, d=3, t_end=1, samples=3); "
              "assert normdyn.__file__.startswith(sys.argv[1]), normdyn.__file__; print(tr.status, tr.gamma_mean[-1])")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path)], cwd=tmp_path, env={**env, "PYTHONPATH": str(tmp_path)},
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("done ")
    libraries = subprocess.run(["ldd", normdyn.__file__], capture_output=True, text=True).stdout
    assert "build/" not in libraries and "normdyn" not in libraries.replace(os.path.basename(normdyn.__file__), "")
