# Shared by the module's tests: the built command line (NORMDYN_EXE, set by CTest) and a runner that returns
# its exit code, JSON document and stderr, to compare the module against bit for bit.
import json
import os
import shutil
import subprocess

import pytest


def normdyn_exe():
    exe = os.environ.get("NORMDYN_EXE") or shutil.which("normdyn")
    if not exe:
        pytest.skip("NORMDYN_EXE is not set (CTest sets it to the built command line)")
    return exe


class Run:
    def __init__(self, code, out, err):
        self.code, self.out, self.err = code, out, err

    @property
    def document(self):
        return json.loads(self.out)

    @property
    def message(self):
        """The one-line message the command line prints, without its 'normdyn COMMAND: ' prefix."""
        line = self.err.strip().splitlines()[-1]
        for prefix in ("normdyn simulate: ", "normdyn equiangular: ", "normdyn order: ", "normdyn check: ", "normdyn: "):
            if line.startswith(prefix):
                return line[len(prefix):]
        return line


def cli(*args):
    """Runs `normdyn ARGS...` and returns its exit code, stdout and stderr."""
    done = subprocess.run([normdyn_exe(), *map(str, args)], capture_output=True, text=True)
    return Run(done.returncode, done.stdout, done.stderr)
