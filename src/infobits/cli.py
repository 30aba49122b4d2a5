"""Command line: ``infobits`` (also ``python -m infobits``), SPEC section 7."""
from __future__ import annotations

import argparse
import json
import sys

import numpy as np


def _progress(done, total, name, stream=sys.stderr):
    width = 30
    filled = int(width * done / total) if total else width
    bar = "#" * filled + "-" * (width - filled)
    stream.write(f"\r[{bar}] {done}/{total} {name[:40]:40s}")
    if done == total:
        stream.write("\n")
    stream.flush()


def cmd_bench(args):
    from . import bench

    report = bench.run(quick=args.quick, repeats=args.repeats,
                       progress=None if args.no_progress else _progress)
    print(bench.format_table(report))
    paths = bench.write_report(report, args.out)
    print("\nwrote " + ", ".join(paths))
    if not any(p.endswith(".png") for p in paths):
        print("(no chart: install matplotlib, e.g. pip install 'infobits[plot]')")
    return 0


def cmd_info(args):
    import infobits as ib
    from . import _config, bench

    info = bench.machine_info()
    info["simd_paths_available"] = _config._available_simd_paths()
    info["openmp"] = _config._openmp_enabled()
    if args.json:
        print(json.dumps(info, indent=2))
    else:
        print(f"infobits {ib.__version__}")
        for k, v in info.items():
            if k != "infobits":
                print(f"  {k}: {v}")
    return 0


def _load(path):
    if path.endswith(".npy"):
        return np.load(path, allow_pickle=False)
    if path.endswith(".csv"):
        return np.loadtxt(path, delimiter=",", skiprows=1, ndmin=1)
    raise ValueError(f"{path}: expected a .npy or .csv file")


def _measure(args, name, fn):
    if args.samples or args.method:
        raise SystemExit(
            "infobits: --samples/--method need infobits.estimate, which is not "
            "implemented yet"
        )
    value = float(fn())
    base = args.base
    if args.json:
        print(json.dumps({"measure": name, "value": value, "base": base}))
    else:
        print(value)
    return 0


def _base(s):
    if s in ("bits", "nats", "bans"):
        return s
    return float(s)


def main(argv=None):
    import infobits as ib

    parser = argparse.ArgumentParser(prog="infobits", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    b = sub.add_parser("bench", help="run the benchmark workloads and write a report")
    b.add_argument("--quick", action="store_true", help="small sizes; finishes in under a minute")
    b.add_argument("--out", default="infobits-report", help="report folder (default ./infobits-report)")
    b.add_argument("--repeats", type=int, default=None, help="interleaved repeats per implementation")
    b.add_argument("--no-progress", action="store_true", help="no progress bar")
    b.set_defaults(func=cmd_bench)

    i = sub.add_parser("info", help="versions, SIMD path, OpenMP threads")
    i.add_argument("--json", action="store_true")
    i.set_defaults(func=cmd_info)

    def common(p):
        p.add_argument("--base", type=_base, default=2)
        p.add_argument("--method", default=None)
        p.add_argument("--samples", action="store_true")
        p.add_argument("--json", action="store_true")

    e = sub.add_parser("entropy", help="entropy of a probability array file")
    e.add_argument("file")
    common(e)
    e.set_defaults(func=lambda a: _measure(a, "entropy",
                                           lambda: ib.entropy(_load(a.file), base=a.base)))
    m = sub.add_parser("mi", help="mutual information of a joint probability table file")
    m.add_argument("file")
    common(m)
    m.set_defaults(func=lambda a: _measure(a, "mutual_information",
                                           lambda: ib.mutual_information(_load(a.file), base=a.base)))
    k = sub.add_parser("kl", help="KL divergence D(P || Q) of two probability array files")
    k.add_argument("p")
    k.add_argument("q")
    common(k)
    k.set_defaults(func=lambda a: _measure(a, "kl_divergence",
                                           lambda: ib.kl_divergence(_load(a.p), _load(a.q), base=a.base)))

    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (ValueError, TypeError, OSError) as exc:
        print(f"infobits: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
