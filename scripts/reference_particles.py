#!/usr/bin/python3
"""Independent reference for the full n-particle system (spec/model.md, sections 1-2).

Cross-check only: the normdyn toolkit never imports or runs this file.

Ambient form, Q = K = V = I: state x_j in R^d, r_j = |x_j|, theta_j = x_j / r_j,

    dx_j/dt = (r_j / s_j) P_{theta_j} A_j + rho_j theta_j,
    A_j = sum_k softmax_k(beta <theta_j, theta_k>) theta_k     (row maximum subtracted),

with (s_j, rho_j) = post-ln (1, 0); pre-ln (r_j, <theta_j,A_j>)  [so dx_j/dt = A_j];
mix-ln post-ln for t <= tau, pre-ln after (integration stops at tau and restarts);
peri-ln (r_j|A_j|, <theta_j,A_j>/|A_j|)  [dx_j/dt = A_j/|A_j|]; ngpt (|A_j|/alpha, 0);
ln-scaling (sqrt(t+1), 0). A zero |A_j| makes Peri-LN / nGPT singular: reported as an error.

Methods:
  dop853  (default) scipy DOP853 in double at rtol 1e-13, atol 1e-15; repeated at rtol 1e-12 and
          the largest state difference reported as error_estimate (a conservative bound).
  rk4-mp  classical RK4 at fixed step --dt in mpmath at --dps digits, repeated at dt/2;
          the result is the Richardson extrapolation (16 y_{h/2} - y_h)/15, the estimate is
          |y_{h/2} - y_h| / 15. Slow (pure Python): keep n*d small.

Cosines are reported as <theta_j, theta_k>; 1 - cos as |theta_j - theta_k|^2 / 2 (no cancellation).
"""

import argparse
import json
import math
import sys
import time

import numpy as np

SCHEMES = ("post-ln", "pre-ln", "mix-ln", "peri-ln", "ngpt", "ln-scaling")
ON_SPHERE = ("post-ln", "ngpt", "ln-scaling")


class SingularSpeed(RuntimeError):
    pass


# ----------------------------------------------------------------------------------------------
# double precision (numpy / scipy)
# ----------------------------------------------------------------------------------------------

def rhs_np(scheme, beta, alpha, t, X):
    r = np.sqrt(np.einsum("ij,ij->i", X, X))
    if np.any(r == 0):
        raise SingularSpeed("a token has radius 0")
    TH = X / r[:, None]
    L = beta * (TH @ TH.T)
    L -= L.max(axis=1, keepdims=True)
    W = np.exp(L)
    W /= W.sum(axis=1, keepdims=True)
    A = W @ TH
    if scheme == "pre-ln":
        return A
    normA = np.sqrt(np.einsum("ij,ij->i", A, A))
    if scheme in ("peri-ln", "ngpt") and np.any(normA <= 1e-300):
        raise SingularSpeed("|A_j| = 0 at t = %r: %s speed factor is singular" % (t, scheme))
    if scheme == "peri-ln":
        return A / normA[:, None]
    ta = np.einsum("ij,ij->i", TH, A)
    PA = A - ta[:, None] * TH
    if scheme == "post-ln":
        return r[:, None] * PA
    if scheme == "ngpt":
        return (alpha * r / normA)[:, None] * PA
    if scheme == "ln-scaling":
        return r[:, None] * PA / math.sqrt(t + 1.0)
    raise ValueError("unknown scheme " + scheme)


def phases(scheme, t_end, tau):
    if scheme != "mix-ln":
        return [(scheme, 0.0, t_end)]
    if tau < 0:
        raise ValueError("tau must be >= 0")
    if t_end <= tau:
        return [("post-ln", 0.0, t_end)]
    out = [("post-ln", 0.0, tau)] if tau > 0 else []
    return out + [("pre-ln", tau, t_end)]


def integrate_dop853(scheme, X0, beta, t_end, tau, alpha, rtol):
    from scipy.integrate import solve_ivp
    n, d = X0.shape
    y = X0.reshape(-1).astype(float)
    nfev = 0
    for sch, ta, tb in phases(scheme, t_end, tau):
        if tb <= ta:
            continue
        sol = solve_ivp(lambda t, v: rhs_np(sch, beta, alpha, t, v.reshape(n, d)).reshape(-1),
                        (ta, tb), y, method="DOP853", rtol=rtol, atol=rtol * 1e-2)
        if sol.status != 0:
            raise RuntimeError("DOP853 failed: " + sol.message)
        y = sol.y[:, -1]
        nfev += sol.nfev
    return y.reshape(n, d), nfev


# ----------------------------------------------------------------------------------------------
# high precision (mpmath), classical RK4
# ----------------------------------------------------------------------------------------------

def rhs_mp(mp, scheme, beta, alpha, t, X):
    n, d = len(X), len(X[0])
    r = [mp.sqrt(mp.fsum(x * x for x in row)) for row in X]
    TH = [[x / r[j] for x in X[j]] for j in range(n)]
    G = [[None] * n for _ in range(n)]
    for j in range(n):
        for k in range(j, n):
            G[j][k] = G[k][j] = mp.fsum(a * b for a, b in zip(TH[j], TH[k]))
    out = []
    for j in range(n):
        m = max(G[j])
        w = [mp.exp(beta * (g - m)) for g in G[j]]
        Z = mp.fsum(w)
        A = [mp.fsum(w[k] * TH[k][i] for k in range(n)) / Z for i in range(d)]
        if scheme == "pre-ln":
            out.append(A)
            continue
        normA = mp.sqrt(mp.fsum(a * a for a in A))
        if scheme in ("peri-ln", "ngpt") and normA == 0:
            raise SingularSpeed("|A_j| = 0: %s speed factor is singular" % scheme)
        if scheme == "peri-ln":
            out.append([a / normA for a in A])
            continue
        ta = mp.fsum(a * b for a, b in zip(TH[j], A))
        PA = [A[i] - ta * TH[j][i] for i in range(d)]
        if scheme == "post-ln":
            c = r[j]
        elif scheme == "ngpt":
            c = alpha * r[j] / normA
        elif scheme == "ln-scaling":
            c = r[j] / mp.sqrt(t + 1)
        else:
            raise ValueError("unknown scheme " + scheme)
        out.append([c * p for p in PA])
    return out


def integrate_rk4_mp(scheme, X0, beta, t_end, tau, alpha, dt, dps):
    import mpmath
    mp = mpmath.mp
    with mp.workdps(dps):
        beta, alpha, t_end, tau, dt = (mpmath.mpf(str(v)) for v in (beta, alpha, t_end, tau, dt))
        X = [[mpmath.mpf(repr(float(v))) for v in row] for row in X0]
        nfev = 0

        def axpy(Y, K, h):
            return [[y + h * k for y, k in zip(ry, rk)] for ry, rk in zip(Y, K)]

        for sch, ta, tb in phases(scheme, t_end, tau):
            if tb <= ta:
                continue
            steps = int(mp.ceil((tb - ta) / dt - mpmath.mpf("1e-9")))
            h = (tb - ta) / steps
            for i in range(steps):
                t = ta + i * h
                k1 = rhs_mp(mp, sch, beta, alpha, t, X)
                k2 = rhs_mp(mp, sch, beta, alpha, t + h / 2, axpy(X, k1, h / 2))
                k3 = rhs_mp(mp, sch, beta, alpha, t + h / 2, axpy(X, k2, h / 2))
                k4 = rhs_mp(mp, sch, beta, alpha, t + h, axpy(X, k3, h))
                X = [[x + h / 6 * (a + 2 * b + 2 * c + e)
                      for x, a, b, c, e in zip(rx, ra, rb, rc, re)]
                     for rx, ra, rb, rc, re in zip(X, k1, k2, k3, k4)]
                nfev += 4
        return X, nfev


# ----------------------------------------------------------------------------------------------

def summarize(X):
    X = np.asarray(X, dtype=float)
    n = X.shape[0]
    r = np.linalg.norm(X, axis=1)
    TH = X / r[:, None]
    iu = np.triu_indices(n, 1)
    cos = (TH @ TH.T)[iu]
    diff = TH[iu[0]] - TH[iu[1]]
    omc = 0.5 * np.einsum("ij,ij->i", diff, diff)
    return {
        "gamma_min": float(cos.min()) if n > 1 else None,
        "gamma_mean": float(cos.mean()) if n > 1 else None,
        "gamma_max": float(cos.max()) if n > 1 else None,
        "one_minus_gamma_min": float(omc.min()) if n > 1 else None,
        "one_minus_gamma_max": float(omc.max()) if n > 1 else None,
        "radius_mean": float(r.mean()),
        "radius_min": float(r.min()),
        "radius_max": float(r.max()),
    }


def run(scheme, X0, beta, t_end, tau=1.0, alpha=1.0, method="dop853", dt=1e-3, dps=30):
    X0 = np.asarray(X0, dtype=float)
    t0 = time.time()
    if method == "dop853":
        X, nfev = integrate_dop853(scheme, X0, beta, t_end, tau, alpha, 1e-13)
        Xc, nfev2 = integrate_dop853(scheme, X0, beta, t_end, tau, alpha, 1e-12)
        err = float(np.max(np.abs(X - Xc)))
        desc = "scipy DOP853 rtol 1e-13 atol 1e-15 (error estimate: vs rtol 1e-12)"
        nfev += nfev2
    else:
        import mpmath
        with mpmath.mp.workdps(dps):
            Xh, n1 = integrate_rk4_mp(scheme, X0, beta, t_end, tau, alpha, dt, dps)
            Xh2, n2 = integrate_rk4_mp(scheme, X0, beta, t_end, tau, alpha, dt / 2, dps)
            X = [[(16 * b - a) / 15 for a, b in zip(ra, rb)] for ra, rb in zip(Xh, Xh2)]
            err = float(max(abs(a - b) / 15 for ra, rb in zip(Xh, Xh2) for a, b in zip(ra, rb)))
            X = np.array([[float(v) for v in row] for row in X])
        nfev = n1 + n2
        desc = ("mpmath RK4 dps %d, dt %g and %g, Richardson-extrapolated (error estimate: "
                "|y_h/2 - y_h|/15)" % (dps, dt, dt / 2))
    out = {"scheme": scheme, "n": int(X0.shape[0]), "d": int(X0.shape[1]), "beta": beta,
           "t_end": t_end}
    if scheme == "mix-ln":
        out["tau"] = tau
    if scheme == "ngpt":
        out["alpha"] = alpha
    out.update(summarize(X))
    if scheme in ON_SPHERE:
        out["sphere_drift"] = float(np.max(np.abs(np.linalg.norm(X, axis=1)
                                                  - np.linalg.norm(X0, axis=1))))
    out.update({"error_estimate": err, "nfev": nfev, "method": desc,
                "seconds": round(time.time() - t0, 3), "state": X.tolist()})
    return out


def read_csv(path):
    rows = []
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            rows.append([float(v) for v in line.replace(",", " ").split()])
    if not rows or any(len(r) != len(rows[0]) for r in rows):
        raise ValueError("%s: need one token per line, all with the same number of columns" % path)
    return np.array(rows)


def orthonormal(n, d, r0):
    if d < n:
        raise ValueError("orthonormal start needs d >= n")
    X = np.zeros((n, d))
    X[np.arange(n), np.arange(n)] = r0
    return X


# ----------------------------------------------------------------------------------------------

def self_test():
    """Orthonormal start against the equiangular high-precision reference, plus invariants."""
    import os
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import reference_equiangular as eq
    fails = []

    def check(name, ok, detail):
        print("%-4s %-58s %s" % ("ok" if ok else "FAIL", name, detail))
        if not ok:
            fails.append(name)

    n, d, beta, t_end, r0, tau, alpha = 5, 7, 1.5, 2.5, 1.3, 0.8, 0.7
    X0 = orthonormal(n, d, r0)
    for sch in SCHEMES:
        res = run(sch, X0, beta, t_end, tau, alpha)
        ref = eq.integrate(sch, n, str(beta), str(t_end), r0=str(r0), tau=str(tau),
                           alpha=str(alpha), dps=30)
        g, r, u = float(ref["gamma"]), float(ref["r"]), float(ref["one_minus_gamma"])
        e = max(abs(res["gamma_min"] - g), abs(res["gamma_max"] - g),
                abs(res["radius_min"] - r), abs(res["radius_max"] - r))
        eu = max(abs(res["one_minus_gamma_min"] - u), abs(res["one_minus_gamma_max"] - u)) / u
        check("dop853 orthonormal = equiangular %-10s" % sch, e < 1e-11 and eu < 1e-11,
              "abs err %.1e, rel err(1-gamma) %.1e, est %.1e" % (e, eu, res["error_estimate"]))

    # high-precision RK4 on a small random start, against DOP853
    rng = np.random.default_rng(1)
    Xr = rng.standard_normal((3, 3))
    for sch in ("peri-ln", "mix-ln"):
        a = run(sch, Xr, 2.0, 1.5, 0.5, 1.0)
        b = run(sch, Xr, 2.0, 1.5, 0.5, 1.0, method="rk4-mp", dt=0.01, dps=25)
        e = float(np.max(np.abs(np.array(a["state"]) - np.array(b["state"]))))
        check("dop853 = rk4-mp (random 3x3) %-10s" % sch, e < 1e-11,
              "max |dx| %.1e, est %.1e / %.1e" % (e, a["error_estimate"], b["error_estimate"]))

    # antipodal pair: stationary for every scheme (beta > 0)
    Xa = np.array([[0.6, 0.8, 0.0], [-0.6, -0.8, 0.0]])
    for sch in SCHEMES:
        res = run(sch, Xa, 0.7, 3.0, 1.0, 1.0)
        th = np.array(res["state"]) / np.linalg.norm(np.array(res["state"]), axis=1)[:, None]
        e = float(np.max(np.abs(th - Xa)))
        check("antipodal pair stationary %-10s" % sch, e < 1e-13, "max |dtheta| %.1e" % e)

    # beta = 0 antipodal: A_j = 0, Peri-LN and nGPT must report a singular speed
    for sch in ("peri-ln", "ngpt"):
        try:
            run(sch, Xa, 0.0, 1.0)
            check("beta=0 antipodal reports singular %s" % sch, False, "no error raised")
        except SingularSpeed as exc:
            check("beta=0 antipodal reports singular %s" % sch, True, str(exc)[:40])

    print("self-test: %d failure(s)" % len(fails))
    return 1 if fails else 0


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--scheme", choices=SCHEMES)
    p.add_argument("--init-file", help="CSV, one token per line, d columns")
    p.add_argument("--init", choices=("orthonormal",))
    p.add_argument("--n", type=int)
    p.add_argument("--d", type=int)
    p.add_argument("--r0", type=float, default=1.0)
    p.add_argument("--beta", type=float)
    p.add_argument("--t-end", type=float)
    p.add_argument("--tau", type=float, default=1.0)
    p.add_argument("--alpha", type=float, default=1.0)
    p.add_argument("--method", choices=("dop853", "rk4-mp"), default="dop853")
    p.add_argument("--dt", type=float, default=1e-3, help="rk4-mp step")
    p.add_argument("--dps", type=int, default=30, help="rk4-mp decimal digits")
    p.add_argument("--self-test", action="store_true")
    a = p.parse_args(argv)
    if a.self_test:
        return self_test()
    if a.scheme is None or a.beta is None or a.t_end is None:
        p.error("--scheme, --beta and --t-end are required")
    if a.init_file:
        X0 = read_csv(a.init_file)
    elif a.init == "orthonormal":
        if a.n is None or a.d is None:
            p.error("--init orthonormal needs --n and --d")
        X0 = orthonormal(a.n, a.d, a.r0)
    else:
        p.error("give --init-file PATH or --init orthonormal")
    try:
        out = run(a.scheme, X0, a.beta, a.t_end, a.tau, a.alpha, a.method, a.dt, a.dps)
    except SingularSpeed as exc:
        print(json.dumps({"scheme": a.scheme, "error": "singular speed factor",
                          "detail": str(exc)}))
        return 2
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
