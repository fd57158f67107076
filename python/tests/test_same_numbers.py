# Claim: every subcommand called from Python returns the same numbers as the command line, bit for bit
# (the module parses the same flags into the same Problem, Method and Sampling). Doubles are compared as
# float64 bit patterns; extended precisions by their decimal digits, as the JSON writes them.
import numpy as np
import pytest

import normdyn
from conftest import cli


def flags(**kwargs):
    args = []
    for key, value in kwargs.items():
        args += ["--" + key.replace("_", "-"), str(value)]
    return args


def assert_same_as_cli(command, tr, doc):
    assert tr.status == doc["status"]
    assert tr.reason == doc.get("reason", "")
    for key in ("steps", "rejected", "rhs_evals"):
        assert tr.stats[key] == doc["stats"][key], key
    series = doc["series"]
    assert list(series) == tr.columns
    for name, values in series.items():
        if isinstance(values[0], str):  # an extended precision: the digits
            assert tr.exact_strings(name) == values, name
        else:
            mine = getattr(tr, name)
            theirs = np.array(values, dtype=np.float64)
            assert mine.tobytes() == theirs.tobytes(), f"{command} {name}: {mine} != {theirs}"
    if isinstance(doc["t_reached"], str):
        assert tr.exact_strings("t_reached") == [doc["t_reached"]]
    else:
        assert tr.t_reached == doc["t_reached"]


DOUBLE_CASES = [
    dict(n=8, d=4, t_end=2, samples=11),
    dict(scheme="pre-ln", n=6, d=5, beta=2.5, seed=7, t_end=3, samples=7),
    dict(scheme="mix-ln", tau=0.75, n=5, d=3, t_end=2, samples=5),
    dict(scheme="ngpt", alpha=0.3, n=4, d=3, init="cone:0.5", t_end=1.5, samples=4),
    dict(scheme="peri-ln", n=5, d=4, stepper="rk4", dt=0.05, t_end=1, samples=6),
    dict(scheme="ln-scaling", n=6, d=6, init="orthonormal", stepper="dop853", rtol=1e-9, atol=1e-11, t_end=2),
    dict(n=7, d=3, error_norm="rms", r0=0.5, t_end=2, samples=3),
]


@pytest.mark.parametrize("case", DOUBLE_CASES, ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()))
def test_simulate_double_bit_for_bit(case):
    run = cli("simulate", *flags(**case), "--json")
    assert run.code == 0, run.err
    assert_same_as_cli("simulate", normdyn.simulate(**case), run.document)


def test_simulate_long_double_and_mp50_digits():
    for case in (dict(n=4, d=3, t_end=1, samples=3, precision="long-double"),
                 dict(n=3, d=3, t_end="0.5", samples=2, precision="mp50", rtol="1e-20", atol="1e-20")):
        run = cli("simulate", *flags(**case), "--json")
        assert run.code == 0, run.err
        assert_same_as_cli("simulate", normdyn.simulate(**case), run.document)


def test_equiangular_double_and_digits():
    for case in (dict(), dict(n=16, beta=3, t_end=5, samples=21), dict(n=6, digits=30, t_end=2, samples=5)):
        run = cli("equiangular", *flags(**case), "--json")
        assert run.code == 0, run.err
        assert_same_as_cli("equiangular", normdyn.equiangular(**case), run.document)


def test_array_start_equals_init_file(tmp_path):
    # Claim: a NumPy start is the same problem as the command line's --init file:PATH with those numbers.
    x0 = np.random.default_rng(3).normal(size=(6, 4))
    path = tmp_path / "start.csv"
    path.write_text("\n".join(",".join(repr(float(v)) for v in row) for row in x0) + "\n")
    run = cli("simulate", "--init", f"file:{path}", "--t-end", "2", "--samples", "5", "--json")
    assert run.code == 0, run.err
    tr = normdyn.simulate(init=x0, t_end=2, samples=5)
    assert_same_as_cli("simulate", tr, run.document)
    assert tr.states is None


def test_partial_run_same_status_and_strict():
    # Peri-LN's antipodal pair at beta = 0 meets its singular speed factor at once: partial, exit code 3.
    case = dict(scheme="peri-ln", init="antipodal", n=2, d=3, beta=0)
    run = cli("simulate", *flags(**case), "--json")
    assert run.code == 3
    tr = normdyn.simulate(**case)
    assert tr.status == "partial" and "singular speed factor" in tr.reason
    assert_same_as_cli("simulate", tr, run.document)
    with pytest.raises(RuntimeError, match="partial"):
        normdyn.simulate(strict=True, **case)


def without_timings(x):
    """The document without wall-clock times, provenance and the command line (which name the caller)."""
    if isinstance(x, dict):
        return {k: without_timings(v) for k, v in x.items() if k not in ("wall_s", "command", "provenance")}
    if isinstance(x, list):
        return [without_timings(v) for v in x]
    return x


def test_order_same_document():
    run = cli("order", "--quick", "--stepper", "rk4,dopri5", "--n", "3", "--d", "3", "--t-end", "1", "--json")
    assert run.code == 0, run.err
    doc = normdyn.order(quick=True, stepper=["rk4", "dopri5"], n=3, d=3, t_end=1)
    assert doc["orders"] and doc["work_precision"]
    assert without_timings(doc) == without_timings(run.document)


def test_check_same_document(tmp_path):
    run = cli("check", "--quick", "--only", "*mix-ln*", "--json", "--out", tmp_path)
    doc = normdyn.check(quick=True, only="*mix-ln*")
    assert len(doc["checks"]) == doc["summary"]["checks"] > 10
    assert without_timings(doc) == without_timings(run.document)
    assert run.code == (0 if doc["status"] == "pass" else 1)
