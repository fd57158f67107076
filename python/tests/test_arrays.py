# Claims: the arrays a Trajectory hands out reference its own buffer (their base is the Trajectory, repeated
# access returns the same memory, and reading a 512 × 128 state series allocates no second copy of it);
# observables and states come as asked; the docstrings list every parameter with its default.
import inspect

import numpy as np
import pytest

import normdyn


def resident_bytes():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096


def test_columns_are_views_of_the_trajectory():
    tr = normdyn.simulate(n=6, d=4, t_end=1, samples=11)
    arr = tr.gamma_mean
    assert arr.dtype == np.float64 and arr.shape == (11,)
    assert arr.base is tr
    assert not arr.flags.writeable and not arr.flags.owndata
    assert tr.gamma_mean.ctypes.data == arr.ctypes.data
    assert np.shares_memory(tr["gamma_mean"], arr)
    assert tr.t[0] == 0 and tr.t[-1] == 1
    del tr  # the array keeps the trajectory alive
    assert np.isfinite(arr).all()


def test_state_series_512_by_128_is_not_copied():
    samples, n, d = 12, 512, 128
    tr = normdyn.simulate(n=n, d=d, t_end="0.01", samples=samples, states=True, observables="gamma_mean")
    series_bytes = samples * n * d * 8
    before = resident_bytes()
    states = tr.states
    total = float(states.sum())  # touch every page
    grown = resident_bytes() - before
    assert states.shape == (samples, n, d) and states.base is tr
    assert np.isfinite(total)
    assert grown < series_bytes / 4, f"reading the states grew the process by {grown} bytes"
    assert tr.states.ctypes.data == states.ctypes.data
    # Sabotage check of the measurement: a real copy is seen.
    before = resident_bytes()
    copy = np.array(states)
    copy += 1
    assert resident_bytes() - before > series_bytes / 2
    # The states are the positions: each row's norm is the radius that radius_mean reports, at t = 0 too.
    assert tr.columns == ["t", "gamma_mean"]


def test_observables_and_state_shapes():
    tr = normdyn.simulate(n=5, d=3, t_end=1, samples=4, observables=["var", "radius_mean"], states=True)
    assert tr.columns == ["t", "var", "radius_mean"]
    assert tr.states.shape == (4, 5, 3)
    radii = np.linalg.norm(tr.states, axis=2).mean(axis=1)
    assert np.allclose(radii, tr.radius_mean, rtol=1e-14, atol=0)
    assert np.array_equal(tr.states[-1], tr.final_state)
    eq = normdyn.equiangular(states=True, samples=3)
    assert eq.states.shape == (3, 2)
    assert np.allclose(eq.states[:, 0], eq.one_minus_gamma, rtol=0, atol=0)
    with pytest.raises(AttributeError):
        tr.gamma_mean  # not recorded


def test_extended_precision_exact_values():
    tr = normdyn.equiangular(n=4, digits=40, t_end=1, samples=3)
    strings = tr.exact_strings("gamma")
    assert len(strings) == 3 and len(strings[-1].replace("-", "").replace(".", "").split("e")[0]) >= 38
    assert tr.gamma[-1] == float(strings[-1])
    mpmath = pytest.importorskip("mpmath")
    g = tr.exact["gamma"][-1]
    assert isinstance(g, mpmath.mpf)
    assert mpmath.nstr(g, 40, strip_zeros=False).startswith(strings[-1][:30])


def test_docstrings_list_every_parameter_with_its_default():
    for name, expected in {
        "simulate": dict(scheme="post-ln", n=32, d=16, beta=1, t_end=10, samples=101, stepper=None, rtol=None,
                         observables=None, states=False, strict=False, q=None, init="default", seed=0),
        "equiangular": dict(n=8, beta=1, digits=None, precision="double"),
        "order": dict(quick=False, n=6, d=4, out=None),
        "check": dict(quick=False, only=None, out=None),
    }.items():
        function = getattr(normdyn, name)
        signature = inspect.signature(function)
        for parameter, default in expected.items():
            assert signature.parameters[parameter].default == default, (name, parameter)
            assert f"{parameter} (default " in function.__doc__
    assert "inverse temperature beta >= 0" in normdyn.simulate.__doc__


def test_attention_weights_reach_the_problem():
    # Q = K = V = I is the default attention (up to rounding: another code path); V = 2I is not.
    base = normdyn.simulate(n=5, d=3, t_end=2, samples=3)
    eye = np.eye(3)
    same = normdyn.simulate(n=5, d=3, t_end=2, samples=3, q=eye, k=eye, v=eye)
    assert np.allclose(same.final_state, base.final_state, rtol=1e-9, atol=1e-12)
    doubled = normdyn.simulate(n=5, d=3, t_end=2, samples=3, v=2 * eye)
    assert not np.allclose(doubled.final_state, base.final_state, rtol=1e-6, atol=0)
