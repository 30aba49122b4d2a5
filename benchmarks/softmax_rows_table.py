"""Softmax, log_softmax, row logsumexp and cross-entropy at training-loop
sizes against PyTorch, single thread: the whole table in one run.

Usage::

    python benchmarks/softmax_rows_table.py                  # this build
    python benchmarks/softmax_rows_table.py --before DIR     # and another

``DIR`` is the ``src`` directory of another built checkout (for example
``main``, built in place with ``setup.py build_ext --inplace``).  Each build
runs in its own worker process, which times PyTorch and infobits side by
side (interleaved repeats, best of ``--repeats``, both with one thread), so
each ratio (torch time / infobits time; above 1 infobits is faster) comes
from one process; the workers' repeats are interleaved too, so a load
change on a shared machine hits both builds alike.  Goals: softmax,
log_softmax and logsumexp >= 1.5, cross-entropy (and with the gradient,
against torch forward+backward) >= 2.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

SHAPES = [(512, 128), (100, 1000), (1000, 1000), (3000, 1000), (64, 32000),
          (10000, 1000), (1000, 50000)]
OPS = ["softmax", "log_softmax", "logsumexp", "ce", "ce+grad"]
DTYPES = ["float32", "float64"]
GOALS = {"softmax": 1.5, "log_softmax": 1.5, "logsumexp": 1.5, "ce": 2.0, "ce+grad": 2.0}


# ------------------------------------------------------------------ worker --

def _worker() -> None:
    import numpy as np
    import torch

    import infobits as ib

    torch.set_num_threads(1)
    ib.set_num_threads(1)
    F = torch.nn.functional
    data: dict = {}

    def impls(op):
        x, y, tx, ty = data["x"], data["y"], data["tx"], data["ty"]
        if op == "softmax":
            return (lambda: torch.softmax(tx, -1)), (lambda: ib.softmax(x))
        if op == "log_softmax":
            return (lambda: torch.log_softmax(tx, -1)), (lambda: ib.log_softmax(x))
        if op == "logsumexp":
            return (lambda: torch.logsumexp(tx, -1)), (lambda: ib.logsumexp(x, axis=-1))
        if op == "ce":
            return ((lambda: float(F.cross_entropy(tx, ty))),
                    (lambda: ib.cross_entropy(x, y, from_logits=True)))

        def fwd_bwd():
            t = tx.detach().requires_grad_(True)
            loss = F.cross_entropy(t, ty)
            loss.backward()
            return float(loss.detach()), t.grad

        return fwd_bwd, (lambda: ib.cross_entropy(x, y, from_logits=True, return_grad=True))

    def timed(fn, number):
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        return (time.perf_counter() - t0) / number

    print(json.dumps({"ready": ib.__file__, "simd": ib.simd_path()
                      if hasattr(ib, "simd_path") else "?"}), flush=True)
    for line in sys.stdin:
        req = json.loads(line)
        if req["cmd"] == "setup":
            N, K = req["shape"]
            rng = np.random.default_rng(7)
            x = rng.normal(0.0, 3.0, (N, K)).astype(req["dtype"])
            y = rng.integers(0, K, N)
            data.update(x=x, y=y, tx=torch.from_numpy(x), ty=torch.from_numpy(y))
            print(json.dumps({"ok": 1}), flush=True)
        elif req["cmd"] == "time":
            ft, fi = impls(req["op"])
            number = req["number"]
            if number == 0:      # calibrate: calls per timing for ~1 ms
                ft()
                fi()
                t = max(timed(ft, 1), timed(fi, 1))
                number = max(1, int(1e-3 / max(t, 1e-7)))
            print(json.dumps({"torch": timed(ft, number), "ib": timed(fi, number),
                              "number": number}), flush=True)
        elif req["cmd"] == "free":
            data.clear()
            print(json.dumps({"ok": 1}), flush=True)


# ------------------------------------------------------------------ driver --

class Worker:
    def __init__(self, src: str | None):
        env = dict(os.environ, OMP_NUM_THREADS="1")
        if src:
            env["PYTHONPATH"] = os.path.abspath(src)
        self.p = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--worker"],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                  env=env)
        self.info = self._read()

    def _read(self):
        line = self.p.stdout.readline()
        if not line:
            raise RuntimeError("worker died")
        return json.loads(line)

    def ask(self, **req):
        self.p.stdin.write(json.dumps(req) + "\n")
        self.p.stdin.flush()
        return self._read()

    def close(self):
        self.p.stdin.close()
        self.p.wait()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--before", help="src directory of the build to compare with")
    ap.add_argument("--after", help="src directory of this build (default: the importable one)")
    ap.add_argument("--repeats", type=int, default=15)
    ap.add_argument("--ops", default=",".join(OPS))
    ap.add_argument("--dtypes", default=",".join(DTYPES))
    ap.add_argument("--shapes", default="", help="e.g. 512x128,64x32000 (default: all)")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.worker:
        _worker()
        return
    shapes = ([tuple(int(v) for v in s.split("x")) for s in a.shapes.split(",")]
              if a.shapes else SHAPES)
    ops = a.ops.split(",")
    builds = {"after": Worker(a.after)}
    if a.before:
        builds = {"before": Worker(a.before), **builds}
    import platform
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name"))
    except (OSError, StopIteration):
        pass
    print(f"# CPU: {cpu}; one thread; best of {a.repeats} interleaved repeats; "
          "ratio = torch time / infobits time")
    for name, w in builds.items():
        print(f"# {name}: {w.info['ready']} (SIMD path {w.info['simd']})")
    cols = " | ".join(f"{b} ratio" for b in builds)
    print(f"| shape | dtype | op | torch us | infobits us ({'/'.join(builds)}) | {cols} | goal |")
    print("|---|---|---|---|---|" + "---|" * len(builds) + "---|")
    short = []
    for dtype in a.dtypes.split(","):
        for shape in shapes:
            for w in builds.values():
                w.ask(cmd="setup", shape=shape, dtype=dtype)
            for op in ops:
                best = {b: [float("inf"), float("inf")] for b in builds}
                number = {b: 0 for b in builds}
                for _ in range(a.repeats):
                    for b, w in builds.items():
                        r = w.ask(cmd="time", op=op, number=number[b])
                        number[b] = r["number"]
                        best[b][0] = min(best[b][0], r["torch"])
                        best[b][1] = min(best[b][1], r["ib"])
                tt = min(v[0] for v in best.values())
                ratios = {b: v[0] / v[1] for b, v in best.items()}
                ibs = "/".join(f"{v[1] * 1e6:.0f}" for v in best.values())
                rs = " | ".join(f"{ratios[b]:.2f}" for b in builds)
                met = ratios["after"] >= GOALS[op]
                if not met:
                    short.append(f"{shape[0]}x{shape[1]} {dtype} {op}: {ratios['after']:.2f}")
                print(f"| {shape[0]}x{shape[1]} | {dtype} | {op} | {tt * 1e6:.0f} | {ibs} | "
                      f"{rs} | {GOALS[op]}{'' if met else ' (short)'} |", flush=True)
            for w in builds.values():
                w.ask(cmd="free")
    for w in builds.values():
        w.close()
    print("# short of the goal:", "; ".join(short) if short else "none")


if __name__ == "__main__":
    main()
