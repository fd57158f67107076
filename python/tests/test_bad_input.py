# Claim: bad input raises ValueError carrying the message the command line prints for the same flags
# (and the command line exits 2 on it); unknown keywords and positional arguments are TypeErrors.
import pytest

import normdyn
from conftest import cli

CASES = [
    ("simulate", dict(n=0)),
    ("simulate", dict(beta=-1)),
    ("simulate", dict(beta="abc")),
    ("simulate", dict(r0=float("inf"))),
    ("simulate", dict(scheme="post-lm")),
    ("simulate", dict(init="orthonormal", n=8, d=4)),
    ("simulate", dict(init="antipodal", n=3)),
    ("simulate", dict(precision="quad")),
    ("simulate", dict(digits=5)),
    ("simulate", dict(dt=0.1, rtol=1e-6)),
    ("simulate", dict(stepper="dop853", precision="mp50")),
    ("simulate", dict(error_norm="l2")),
    ("simulate", dict(samples=0)),
    ("equiangular", dict(n=1)),
    ("equiangular", dict(t_end=-1)),
    ("order", dict(ratio=1)),
    ("order", dict(stepper="rk4,,dopri5")),
    ("check", dict(only="no-such-claim-anywhere", quick=True)),
]


def flag_args(kwargs):
    args = []
    for key, value in kwargs.items():
        if value is True:
            args.append("--" + key.replace("_", "-"))
        else:
            args += ["--" + key.replace("_", "-"), str(value)]
    return args


@pytest.mark.parametrize("command,kwargs", CASES, ids=lambda x: str(x))
def test_value_error_with_the_command_lines_message(command, kwargs):
    run = cli(command, *flag_args(kwargs))
    assert run.code == 2, run.err
    with pytest.raises(ValueError) as raised:
        getattr(normdyn, command)(**kwargs)
    assert str(raised.value) == run.message


def test_array_start_of_the_wrong_shape():
    import numpy as np
    with pytest.raises(ValueError, match="--init: the start is 3 × 2, the problem n × d = 3 × 4"):
        normdyn.simulate(init=np.ones((3, 2)), d=4)
    with pytest.raises(ValueError, match="--q: must be d × d"):
        normdyn.simulate(n=3, d=4, q=np.eye(3))


def test_unknown_keyword_and_positional_arguments():
    with pytest.raises(TypeError, match="unexpected keyword argument 'temperature'"):
        normdyn.simulate(temperature=1)
    with pytest.raises(TypeError, match="keyword arguments only"):
        normdyn.simulate(32)
    with pytest.raises(TypeError):
        normdyn.equiangular(d=4)  # the reduction has no dimension flag
    with pytest.raises(ValueError, match="--observables: unknown 'gama'"):
        normdyn.simulate(observables=["gama"])
