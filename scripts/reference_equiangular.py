#!/usr/bin/python3
"""Independent high-precision reference for the equiangular (symmetric-start) system.

Cross-check only: the normdyn toolkit never imports or runs this file. The mathematics
is in spec/model.md, sections 1, 2 and 4. Uses Debian's python3-mpmath only.

From the orthonormal start with equal radii r0 every pairwise cosine equals gamma(t), and

    dgamma/dt = F(gamma) / s(t),      dr/dt = rho(t),      gamma(0) = 0,  r(0) = r0,
    F(gamma)  = 2 e^{beta gamma} (1 - gamma)(1 + (n-1) gamma) / Z,   Z = e^beta + (n-1) e^{beta gamma},
    <theta,A> = (e^beta + (n-1) gamma e^{beta gamma}) / Z,
    |A|^2     = (e^{2beta} + 2(n-1) gamma e^beta e^{beta gamma} + (n-1) e^{2 beta gamma}(1 + (n-2) gamma)) / Z^2,

with (s, rho) = post-ln (1, 0); pre-ln (r, <theta,A>); mix-ln post-ln for t <= tau, pre-ln after;
peri-ln (r|A|, <theta,A>/|A|); ngpt (|A|/alpha, 0); ln-scaling (sqrt(t+1), 0).

How it is integrated. The state is (v, r) with v = log(1 - gamma) = log u. Dividing numerator
and denominator by e^beta (w = e^{-beta u}) gives a right-hand side with no cancellation and no
overflow for any beta:

    dv/dt = -G / s,   G = F/u = 2 w (n - (n-1) u) / (1 + (n-1) w),
    <theta,A> = (1 + (n-1)(1-u) w) / (1 + (n-1) w),
    |A|^2     = (1 + 2(n-1)(1-u) w + (n-1) w^2 ((n-1) - (n-2) u)) / (1 + (n-1) w)^2.

So 1 - gamma is carried to full relative precision however close gamma is to 1. The default
solver is a Taylor-series integrator whose coefficients come from automatic differentiation
(order ~1.15*dps, step from the decay of the last two coefficients); --method odefun uses
mpmath.odefun instead (same answers, ~50x slower at 50 digits). Mix-LN is integrated on
[0, tau] with the Post-LN field and restarted at tau with the Pre-LN field (the right-hand side is
discontinuous there). Every answer is computed twice, at dps = D + 10 and dps = D + 25, and the
number of agreeing significant digits is reported (warning on stderr if fewer than D).

The self-test additionally integrates the spec's gamma-form formulas verbatim (state (gamma, r)),
which checks the algebra of the u-rewriting above.
"""

import argparse
import json
import sys
import time

import mpmath
from mpmath import mp, mpf

SCHEMES = ("post-ln", "pre-ln", "mix-ln", "peri-ln", "ngpt", "ln-scaling")


# ----------------------------------------------------------------------------------------------
# Right-hand sides
# ----------------------------------------------------------------------------------------------

def _speed_u(scheme, n, beta, alpha, u, r, t, exp=None, sqrt=None):
    """Return (G, s, rho) at state u = 1 - gamma, radius r, time t (scheme is already resolved,
    i.e. never 'mix-ln'). Works on mpf numbers and, with exp/sqrt given, on Taylor jets."""
    exp = exp or mp.exp
    sqrt = sqrt or mp.sqrt
    w = exp(-beta * u)
    nm1 = n - 1
    zh = 1 + nm1 * w
    G = 2 * w * (n - nm1 * u) / zh
    if scheme == "post-ln":
        return G, mpf(1), mpf(0)
    if scheme == "ln-scaling":
        return G, sqrt(t + 1), mpf(0)
    g = 1 - u
    theta_a = (1 + nm1 * g * w) / zh
    if scheme == "pre-ln":
        return G, r, theta_a
    a2 = (1 + 2 * nm1 * g * w + nm1 * w * w * (nm1 - (n - 2) * u)) / (zh * zh)
    a = sqrt(a2)
    if scheme == "peri-ln":
        return G, r * a, theta_a / a
    if scheme == "ngpt":
        return G, a / alpha, mpf(0)
    raise ValueError("unknown scheme " + scheme)


def _rhs_u(scheme, n, beta, alpha):
    def f(t, y):
        v, r = y
        u = mp.exp(v)
        G, s, rho = _speed_u(scheme, n, beta, alpha, u, r, t)
        return [-G / s, rho]
    return f


def _speed_gamma(scheme, n, beta, alpha, g, r, t):
    """Spec section 4 formulas verbatim, in gamma (used by the self-test only)."""
    eb = mp.exp(beta)
    ebg = mp.exp(beta * g)
    Z = eb + (n - 1) * ebg
    F = 2 * ebg * (1 - g) * (1 + (n - 1) * g) / Z
    theta_a = (eb + (n - 1) * g * ebg) / Z
    a2 = (eb ** 2 + 2 * (n - 1) * g * eb * ebg + (n - 1) * ebg ** 2 * (1 + (n - 2) * g)) / Z ** 2
    a = mp.sqrt(a2)
    table = {
        "post-ln": (mpf(1), mpf(0)),
        "pre-ln": (r, theta_a),
        "peri-ln": (r * a, theta_a / a),
        "ngpt": (a / alpha, mpf(0)),
        "ln-scaling": (mp.sqrt(t + 1), mpf(0)),
    }
    s, rho = table[scheme]
    return F, s, rho


def _rhs_gamma(scheme, n, beta, alpha):
    def f(t, y):
        g, r = y
        F, s, rho = _speed_gamma(scheme, n, beta, alpha, g, r, t)
        return [F / s, rho]
    return f


# ----------------------------------------------------------------------------------------------
# Taylor-series integrator with automatic differentiation (jets)
#
# mpmath.odefun builds its Taylor series from Euler steps at (degree+1) times the working
# precision, which costs ~10-20 s per unit of time at 50 digits. The integrator below gets the
# same Taylor coefficients exactly by recurrences (Moore / Jorba-Zou): order N ~ 1.15 * dps,
# step chosen so the last two terms are below eps. It is the default; --method odefun uses
# mpmath.odefun instead, and the self-test compares the two.
# ----------------------------------------------------------------------------------------------

class _Jet:
    """A node of the right-hand side's expression graph; .c holds its Taylor coefficients."""
    __slots__ = ("tape", "op", "a", "b", "s", "c")

    def __init__(self, tape, op, a=None, b=None, s=None):
        self.tape, self.op, self.a, self.b, self.s, self.c = tape, op, a, b, s, []
        tape.append(self)

    def _new(self, op, a=None, b=None, s=None):
        return _Jet(self.tape, op, a, b, s)

    def __add__(self, o):
        if isinstance(o, _Jet):
            return self._new("add", self, o)
        return self._new("adds", self, s=mpf(o))
    __radd__ = __add__

    def __sub__(self, o):
        if isinstance(o, _Jet):
            return self._new("sub", self, o)
        return self._new("adds", self, s=-mpf(o))

    def __rsub__(self, o):
        return self._new("rsubs", self, s=mpf(o))

    def __mul__(self, o):
        if isinstance(o, _Jet):
            return self._new("mul", self, o)
        return self._new("muls", self, s=mpf(o))
    __rmul__ = __mul__

    def __truediv__(self, o):
        if isinstance(o, _Jet):
            return self._new("div", self, o)
        return self._new("muls", self, s=1 / mpf(o))

    def __rtruediv__(self, o):
        return self._new("sdiv", self, s=mpf(o))

    def __neg__(self):
        return self._new("muls", self, s=mpf(-1))


def _jexp(a):
    return a._new("exp", a)


def _jsqrt(a):
    return a._new("sqrt", a)


def _coeff(nd, k):
    """Append Taylor coefficient k of node nd (inputs already hold coefficients 0..k)."""
    op, c = nd.op, nd.c
    if op == "time":
        x = nd.s if k == 0 else (mpf(1) if k == 1 else mpf(0))
    elif op == "add":
        x = nd.a.c[k] + nd.b.c[k]
    elif op == "sub":
        x = nd.a.c[k] - nd.b.c[k]
    elif op == "adds":
        x = nd.a.c[k] + nd.s if k == 0 else nd.a.c[k]
    elif op == "rsubs":
        x = nd.s - nd.a.c[k] if k == 0 else -nd.a.c[k]
    elif op == "muls":
        x = nd.s * nd.a.c[k]
    elif op == "mul":
        a, b = nd.a.c, nd.b.c
        x = mp.fsum(a[j] * b[k - j] for j in range(k + 1))
    elif op == "div":
        a, b = nd.a.c, nd.b.c
        x = (a[k] - mp.fsum(b[j] * c[k - j] for j in range(1, k + 1))) / b[0]
    elif op == "sdiv":
        b = nd.a.c
        x = ((nd.s if k == 0 else 0) - mp.fsum(b[j] * c[k - j] for j in range(1, k + 1))) / b[0]
    elif op == "exp":
        a = nd.a.c
        x = mp.exp(a[0]) if k == 0 else mp.fsum(j * a[j] * c[k - j] for j in range(1, k + 1)) / k
    elif op == "sqrt":
        a = nd.a.c
        if k == 0:
            x = mp.sqrt(a[0])
        else:
            x = (a[k] - mp.fsum(c[j] * c[k - j] for j in range(1, k))) / (2 * c[0])
    else:
        raise AssertionError(op)
    c.append(x)


def _taylor_integrate(scheme, n, beta, alpha, ta, tb, y, stats=None):
    """Integrate state y = [log(1-gamma), r] from ta to tb at the current mp precision."""
    order = int(1.15 * mp.dps) + 8
    tape = []
    tnode = _Jet(tape, "time")
    vnode = _Jet(tape, "var")
    rnode = _Jet(tape, "var")
    u = _jexp(vnode)
    G, s, rho = _speed_u(scheme, n, beta, alpha, u, rnode, tnode, exp=_jexp, sqrt=_jsqrt)
    fv = -G / s
    inner = [nd for nd in tape if nd.op != "var"]
    eps = mp.eps
    t = mpf(ta)
    y = [mpf(y[0]), mpf(y[1])]
    steps = 0
    while t < tb:
        for nd in tape:
            nd.c = []
        tnode.s = t
        vnode.c.append(y[0])
        rnode.c.append(y[1])
        for k in range(order):
            for nd in inner:
                _coeff(nd, k)
            vnode.c.append(fv.c[k] / (k + 1))
            rnode.c.append((rho.c[k] if isinstance(rho, _Jet) else (rho if k == 0 else 0)) / (k + 1))
        h = tb - t
        for cs in (vnode.c, rnode.c):
            tol = eps * max(1, abs(cs[0]))
            for m in (order, order - 1):
                if cs[m] != 0:
                    h = min(h, mpf("0.8") * mp.root(tol / abs(cs[m]), m))
        y = [mp.polyval(cs[::-1], h) for cs in (vnode.c, rnode.c)]
        t = tb if tb - t - h <= 0 else t + h
        steps += 1
    if stats is not None:
        stats["steps"] = stats.get("steps", 0) + steps
        stats["order"] = order
    return y


# ----------------------------------------------------------------------------------------------
# Integration
# ----------------------------------------------------------------------------------------------

def _phases(scheme, t_end, tau):
    """List of (resolved scheme, t_start, t_stop) pieces covering [0, t_end]."""
    if scheme != "mix-ln":
        return [(scheme, mpf(0), t_end)]
    if tau < 0:
        raise ValueError("tau must be >= 0")
    if t_end <= tau:
        return [("post-ln", mpf(0), t_end)]
    pieces = []
    if tau > 0:
        pieces.append(("post-ln", mpf(0), tau))
    pieces.append(("pre-ln", tau, t_end))
    return pieces


def integrate(scheme, n, beta, t_end, r0=1, tau=1, alpha=1, dps=50, form="u", method="taylor",
              stats=None):
    """Integrate at mp.dps = dps. Returns dict of mpf: gamma, r, one_minus_gamma.
    method: 'taylor' (jet Taylor series, u-form only) or 'odefun' (mpmath.odefun)."""
    if form == "gamma" and method == "taylor":
        raise ValueError("the gamma form is only integrated with odefun")
    with mp.workdps(dps):
        n = int(n)
        beta, t_end, r0, tau, alpha = (mpf(x) for x in (beta, t_end, r0, tau, alpha))
        if t_end < 0:
            raise ValueError("t-end must be >= 0")
        if form == "u":
            y = [mpf(0), r0]            # v = log(1 - 0) = 0
            make = _rhs_u
        else:
            y = [mpf(0), r0]            # gamma = 0
            make = _rhs_gamma
        for sch, ta, tb in _phases(scheme, t_end, tau):
            if tb > ta:
                if method == "taylor":
                    y = _taylor_integrate(sch, n, beta, alpha, ta, tb, y, stats)
                else:
                    sol = mpmath.odefun(make(sch, n, beta, alpha), ta, y)
                    y = sol(tb)
        if form == "u":
            u = mp.exp(y[0])
            g = -mp.expm1(y[0])         # 1 - u without cancellation for tiny t
        else:
            g = y[0]
            u = 1 - g
        return {"gamma": +g, "r": +y[1], "one_minus_gamma": +u}


def _agree_digits(a, b):
    """Number of agreeing significant digits of two mpf values (capped at the precision)."""
    if a == b:
        return mp.dps
    scale = max(abs(a), abs(b))
    if scale == 0:
        return mp.dps
    rel = abs(a - b) / scale
    return max(0, int(mp.floor(-mp.log10(rel))))


def reference(scheme, n, beta, t_end, r0=1, tau=1, alpha=1, digits=40, method="taylor"):
    t0 = time.time()
    st_lo, st_hi = {}, {}
    lo = integrate(scheme, n, beta, t_end, r0, tau, alpha, dps=digits + 10, method=method,
                   stats=st_lo)
    hi = integrate(scheme, n, beta, t_end, r0, tau, alpha, dps=digits + 25, method=method,
                   stats=st_hi)
    with mp.workdps(digits + 25):
        agree = min(_agree_digits(lo[k], hi[k]) for k in ("gamma", "r", "one_minus_gamma"))
        out = {
            "scheme": scheme,
            "n": int(n),
            "beta": str(beta),
            "t_end": str(t_end),
            "r0": str(r0),
            "tau": str(tau) if scheme == "mix-ln" else None,
            "alpha": str(alpha) if scheme == "ngpt" else None,
            "digits": digits,
            "gamma": mp.nstr(hi["gamma"], digits, strip_zeros=False),
            "r": mp.nstr(hi["r"], digits, strip_zeros=False),
            "one_minus_gamma": mp.nstr(hi["one_minus_gamma"], digits, strip_zeros=False),
            "agreeing_digits": agree,
            "method": (("Taylor series with automatic differentiation (order %d/%d, %d/%d steps)"
                        % (st_lo.get("order", 0), st_hi.get("order", 0), st_lo.get("steps", 0),
                           st_hi.get("steps", 0)) if method == "taylor" else "mpmath.odefun")
                       + " in mpmath %s on state (log(1-gamma), r); mix-ln restarted at tau; "
                       "dps %d vs %d compared" % (mpmath.__version__, digits + 10, digits + 25)),
            "seconds": round(time.time() - t0, 3),
        }
    out = {k: v for k, v in out.items() if v is not None}
    if agree < digits:
        print("warning: %s: only %d digits agree between dps %d and %d (wanted %d)"
              % (scheme, agree, digits + 10, digits + 25, digits), file=sys.stderr)
    return out


# ----------------------------------------------------------------------------------------------
# Self-test
# ----------------------------------------------------------------------------------------------

def self_test(digits=30):
    failures = []
    tol_digits = digits - 3

    def check(name, got, want, ndig=tol_digits):
        with mp.workdps(digits + 25):
            got, want = mpf(got), mpf(want)
            err = abs(got - want) / max(abs(want), mpf(10) ** (-(digits + 20)))
            ok = err <= mpf(10) ** (-ndig)
            print("%-4s %-62s rel.err %s" % ("ok" if ok else "FAIL", name, mp.nstr(err, 3)))
            if not ok:
                failures.append(name)

    # 1. n = 2, beta = 0, Post-LN: gamma = tanh(t), 1 - gamma = 2 / (e^{2t} + 1).
    for t in ("0.5", "1", "3", "8"):
        res = integrate("post-ln", 2, 0, t, dps=digits + 10)
        with mp.workdps(digits + 25):
            tt = mpf(t)
            check("post-ln n=2 beta=0 gamma(%s) = tanh" % t, res["gamma"], mp.tanh(tt))
            check("post-ln n=2 beta=0 1-gamma(%s) = 2/(e^2t+1)" % t, res["one_minus_gamma"],
                  2 / (mp.exp(2 * tt) + 1))

    # 2. LN-Scaling at t equals Post-LN at 2(sqrt(t+1) - 1).
    for n, beta, t in ((8, "1", "2"), (5, "2.5", "3"), (64, "5", "4")):
        a = integrate("ln-scaling", n, beta, t, dps=digits + 10)
        with mp.workdps(digits + 25):
            tp = 2 * (mp.sqrt(mpf(t) + 1) - 1)
        b = integrate("post-ln", n, beta, tp, dps=digits + 10)
        check("ln-scaling(%s) = post-ln(2(sqrt(t+1)-1)) n=%d beta=%s" % (t, n, beta),
              a["one_minus_gamma"], b["one_minus_gamma"])

    # 3. Initial velocity dgamma/dt at t = 0 (Theorem 4.1): from the right-hand side, and from
    #    the integrated solution gamma(h)/h with h = 1e-25 (error O(h)).
    cases = ((8, "1", "1", "1"), (2, "0", "0.7", "2"), (256, "5", "3", "0.5"), (3, "1000", "1", "1"))
    for n, beta, r0, alpha in cases:
        with mp.workdps(digits + 25):
            b, R, al = mpf(beta), mpf(r0), mpf(alpha)
            e1 = mp.exp(b) + n - 1
            e2 = mp.sqrt(mp.exp(2 * b) + n - 1)
            closed = {"post-ln": 2 / e1, "pre-ln": 2 / (R * e1), "mix-ln": 2 / e1,
                      "peri-ln": 2 / (R * e2), "ngpt": 2 * al / e2, "ln-scaling": 2 / e1}
            for sch in SCHEMES:
                res_sch = "post-ln" if sch == "mix-ln" else sch
                G, s, _ = _speed_u(res_sch, n, b, al, mpf(1), R, mpf(0))
                check("v0 rhs     %-10s n=%d beta=%s r0=%s alpha=%s" % (sch, n, beta, r0, alpha),
                      G / s, closed[sch])
        if beta == "1000":
            continue  # gamma(h)/h underflows nothing, but is pointless at e^-1000 speed
        h = mpf(10) ** -25
        for sch in SCHEMES:
            res = integrate(sch, n, beta, h, r0=r0, alpha=alpha, tau=1, dps=digits + 10)
            with mp.workdps(digits + 25):
                check("v0 gamma(h)/h %-10s n=%d beta=%s" % (sch, n, beta),
                      res["gamma"] / h, closed[sch], ndig=20)

    # 4. Two independent integrators and two algebraic forms: jet-Taylor on (log(1-gamma), r)
    #    against mpmath.odefun on the spec's gamma-form formulas verbatim (slow: ~2 s each).
    for sch in SCHEMES:
        a = integrate(sch, 8, "1", "2", r0="1.3", tau="0.75", alpha="0.6", dps=digits + 10)
        b = integrate(sch, 8, "1", "2", r0="1.3", tau="0.75", alpha="0.6", dps=digits + 3,
                      form="gamma", method="odefun")
        check("taylor u-form = odefun gamma-form %-10s gamma" % sch, a["gamma"], b["gamma"])
        check("taylor u-form = odefun gamma-form %-10s r" % sch, a["r"], b["r"])

    # 5. Mix-LN limits: tau >= t_end is Post-LN; tau = 0 is Pre-LN.
    a = integrate("mix-ln", 8, "1", "1.5", tau="2", dps=digits + 10)
    b = integrate("post-ln", 8, "1", "1.5", dps=digits + 10)
    check("mix-ln(tau=2, t=1.5) = post-ln", a["one_minus_gamma"], b["one_minus_gamma"])
    a = integrate("mix-ln", 8, "1", "1.5", tau="0", dps=digits + 10)
    b = integrate("pre-ln", 8, "1", "1.5", dps=digits + 10)
    check("mix-ln(tau=0) = pre-ln", a["one_minus_gamma"], b["one_minus_gamma"])

    # 6. Radius is constant for the on-sphere schemes.
    for sch in ("post-ln", "ngpt", "ln-scaling"):
        a = integrate(sch, 8, "1", "2", r0="1.7", dps=digits + 10)
        check("r constant %-10s" % sch, a["r"], "1.7")

    print("self-test: %d failure(s)" % len(failures))
    return 0 if not failures else 1


# ----------------------------------------------------------------------------------------------

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--scheme", choices=SCHEMES)
    p.add_argument("--all", action="store_true", help="all six schemes, one JSON line each")
    p.add_argument("--self-test", action="store_true")
    p.add_argument("--n", type=int)
    p.add_argument("--beta", type=str)
    p.add_argument("--t-end", type=str)
    p.add_argument("--r0", type=str, default="1")
    p.add_argument("--tau", type=str, default="1")
    p.add_argument("--alpha", type=str, default="1")
    p.add_argument("--digits", type=int, default=40)
    p.add_argument("--method", choices=("taylor", "odefun"), default="taylor",
                   help="taylor: jet Taylor series (fast, default); odefun: mpmath.odefun (slow)")
    a = p.parse_args(argv)

    if a.self_test:
        return self_test()
    if a.n is None or a.beta is None or a.t_end is None:
        p.error("--n, --beta and --t-end are required")
    if a.n < 2:
        p.error("--n must be >= 2")
    if not (a.all or a.scheme):
        p.error("give --scheme or --all")
    schemes = SCHEMES if a.all else (a.scheme,)
    for sch in schemes:
        out = reference(sch, a.n, a.beta, a.t_end, a.r0, a.tau, a.alpha, a.digits, a.method)
        print(json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
