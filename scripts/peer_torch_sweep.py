#!/usr/bin/python3
"""CPU peer of `normdyn sweep` for the bench: the simuformer-shaped sweep in PyTorch, as the paper authors'
simulator runs it — Post-LN (dθ_j/dt = P_θj A_j, Q = K = V = I, one head), n tokens in d, BETAS values of β in
[0.1, 15], SEEDS starts, t-end 50 — by projected forward Euler at dt = 0.1 (θ ← normalise(θ + dt P_θ A(θ))),
one global step for the whole batch and no error control, in float32 and float64, on the machine's cores.

Starts: torch.Generator().manual_seed(0), SEEDS × n × d standard normal rows, normalised; every start runs at
every β (system index = β index × SEEDS + start index). Writes into --out DIR:
  start_S.csv        start S (n lines of d values, 17 digits): `normdyn sweep --init file:DIR/start_S.csv,...`
  peer.json          the shape, the wall time of each dtype (whole batch, starts drawn, integration only) and
                     each system's final mean cosine γ_mean (pairs j < k), β and start index.
With --compare RESULTS.jsonl (a `normdyn sweep` on these starts: --init file:DIR/start_0.csv,… after --beta,
so that cell = β index × SEEDS + start index) it prints instead each dtype's error per system against
normdyn's final gamma_mean: the worst, and how many systems are off by more than 1e-2 and 1e-6.

python3-torch is needed for this script only (Debian: `apt-get install python3-torch`); the toolkit's set-up
does not install it.
"""
import argparse
import json
import os
import time

import torch


def post_ln_euler(theta, beta, dt, steps):
    """theta: (B, n, d) unit rows; beta: (B,) — projected Euler of dθ/dt = A − <θ, A> θ, renormalised."""
    b = beta.view(-1, 1, 1)
    for _ in range(steps):
        logits = b * theta @ theta.transpose(1, 2)
        weights = torch.softmax(logits, dim=-1)
        a = weights @ theta
        inner = (theta * a).sum(-1, keepdim=True)
        theta = theta + dt * (a - inner * theta)
        theta = theta / theta.norm(dim=-1, keepdim=True)
    return theta


def mean_cosine(theta):
    n = theta.shape[1]
    gram = theta @ theta.transpose(1, 2)
    upper = torch.triu(torch.ones(n, n, dtype=torch.bool), diagonal=1)
    return gram[:, upper].mean(dim=1)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=64)
    parser.add_argument("--d", type=int, default=16)
    parser.add_argument("--betas", type=int, default=20)
    parser.add_argument("--beta-min", type=float, default=0.1)
    parser.add_argument("--beta-max", type=float, default=15.0)
    parser.add_argument("--seeds", type=int, default=32)
    parser.add_argument("--t-end", type=float, default=50.0)
    parser.add_argument("--dt", type=float, default=0.1)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--dtypes", default="float32,float64")
    parser.add_argument("--out", required=True)
    parser.add_argument("--compare", help="a normdyn sweep's results.jsonl on the starts in --out")
    args = parser.parse_args()
    if args.compare:
        compare(args.out, args.compare)
        return
    torch.set_num_threads(args.threads)
    os.makedirs(args.out, exist_ok=True)

    generator = torch.Generator().manual_seed(0)
    starts = torch.randn(args.seeds, args.n, args.d, generator=generator, dtype=torch.float64)
    starts = starts / starts.norm(dim=-1, keepdim=True)
    for s in range(args.seeds):
        with open(os.path.join(args.out, f"start_{s}.csv"), "w") as f:
            for row in starts[s].tolist():
                f.write(",".join(repr(x) for x in row) + "\n")
    betas = torch.linspace(args.beta_min, args.beta_max, args.betas, dtype=torch.float64)
    steps = int(round(args.t_end / args.dt))
    result = {"n": args.n, "d": args.d, "seeds": args.seeds, "betas": betas.tolist(), "t_end": args.t_end,
              "dt": args.dt, "steps": steps, "threads": args.threads, "torch": torch.__version__, "runs": {}}
    for name in args.dtypes.split(","):
        dtype = getattr(torch, name)
        start = time.perf_counter()
        theta = starts.to(dtype).repeat(args.betas, 1, 1)        # system = β index × seeds + start index
        beta = betas.to(dtype).repeat_interleave(args.seeds)
        final = post_ln_euler(theta, beta, args.dt, steps)
        gamma = mean_cosine(final.to(torch.float64))
        wall = time.perf_counter() - start
        result["runs"][name] = {"wall_s": wall, "gamma_mean": gamma.tolist()}
        print(f"{name}: {len(gamma)} systems, {steps} Euler steps at dt = {args.dt}, {wall:.2f} s")
    with open(os.path.join(args.out, "peer.json"), "w") as f:
        json.dump(result, f)


def compare(out, results):
    with open(os.path.join(out, "peer.json")) as f:
        peer = json.load(f)
    reference = {}
    with open(results) as f:
        for line in f:
            record = json.loads(line)
            reference[record["cell"]] = float(record["final"]["gamma_mean"])
    for name, run in peer["runs"].items():
        errors = [abs(g - reference[i]) for i, g in enumerate(run["gamma_mean"])]
        print(f"{name}: {len(errors)} systems, worst |gamma_mean - normdyn| = {max(errors):.3g}, "
              f"> 1e-2: {sum(e > 1e-2 for e in errors)}, > 1e-6: {sum(e > 1e-6 for e in errors)}, "
              f"wall {run['wall_s']:.2f} s")


if __name__ == "__main__":
    main()
