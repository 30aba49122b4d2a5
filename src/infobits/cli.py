"""Command line: ``infobits`` (also ``python -m infobits``).

Subcommands: ``info`` (versions, SIMD path, threads), ``bench`` (the
benchmark report), ``entropy``, ``mi`` and ``kl`` (measures of ``.npy`` or
``.csv`` files).  A user error (missing file, unknown column, non-numeric
data) prints one line on stderr and exits with status 2, never a traceback.
"""
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


def _at_least_one(text):
    from .bench import positive_int

    return positive_int(text)


def cmd_bench(args):
    from . import bench

    # the progress bar draws only on a terminal (no carriage returns in logs)
    report = bench.run(quick=args.quick, repeats=args.repeats,
                       progress=None if args.no_progress else bench.Progress(sys.stderr))
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


def _load_labels(path, columns):
    import os

    if not os.path.isfile(path):
        raise CLIError(f"{path}: no such file")
    names = _read_header(path)
    idx = list(range(len(names))) if columns is None else [_pick(names, c, path) for c in columns]
    try:
        cells = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2, usecols=idx, dtype=str,
                           encoding="utf-8")
    except ValueError as exc:
        raise CLIError(f"{path}: ragged data: {exc}") from None
    if cells.size == 0:
        raise CLIError(f"{path}: no data")
    cols = [_typed_column(np.char.strip(cells[:, j])) for j in range(cells.shape[1])]
    return cols[0] if len(cols) == 1 else cols


class CLIError(Exception):
    """A user error on the command line: printed as one line, exit status 2."""


def _read_header(path):
    with open(path, encoding="utf-8") as f:
        first = f.readline()
    names = [h.strip().strip('"').strip("'") for h in first.rstrip("\r\n").split(",")]
    if not first.strip():
        raise CLIError(f"{path}: empty file (a .csv needs a header row and data rows)")
    return names


def _pick(names, col, path):
    """Index of column ``col`` (a header name, or a 0-based index as text or int)."""
    if isinstance(col, str) and col in names:
        return names.index(col)
    try:
        i = int(col)
    except (TypeError, ValueError):
        raise CLIError(f"{path}: no column {col!r} (columns: {', '.join(names)})") from None
    if not -len(names) <= i < len(names):
        raise CLIError(f"{path}: column index {i} out of range ({len(names)} columns)")
    return i % len(names)


def _typed_column(col):
    """Text cells -> int64 if all are integers, else float64, else str (labels)."""
    for dtype in (np.int64, np.float64):
        try:
            return col.astype(dtype)
        except (ValueError, OverflowError):
            pass
    return col


def _load(path, columns=None, numeric=True):
    """Read a ``.npy`` or ``.csv`` (header row, comma-separated) file.

    ``columns``: None for the whole table, else a list of column names
    (``.csv`` header) or 0-based indices; one column gives a 1-D array,
    several an ``(n, k)`` array.  Whole ``.csv`` tables of one column are
    1-D too.  Every problem (missing file, unknown column, non-numeric or
    empty data) is raised as :class:`CLIError` with a one-line message.

    ``numeric=False`` (samples for the estimators): ``.csv`` columns may hold
    labels; each selected column becomes int64, float64 or str, whichever
    fits all its cells, and several columns come back as a list of 1-D arrays.
    """
    if not numeric and path.endswith(".csv"):
        return _load_labels(path, columns)
    import os
    import warnings

    if not os.path.exists(path):
        raise CLIError(f"{path}: no such file")
    if os.path.isdir(path):
        raise CLIError(f"{path}: is a directory, not a .npy or .csv file")
    if path.endswith(".npy"):
        try:
            a = np.load(path, allow_pickle=False)
        except (ValueError, OSError, EOFError) as exc:
            raise CLIError(f"{path}: not a readable .npy file ({exc})") from None
        if columns is not None:
            if a.ndim != 2:
                raise CLIError(f"{path}: column selection needs a 2-D array, got {a.ndim}-D")
            names = [str(i) for i in range(a.shape[1])]
            a = a[:, [_pick(names, c, path) for c in columns]]
    elif path.endswith(".csv"):
        names = _read_header(path)
        usecols = None if columns is None else [_pick(names, c, path) for c in columns]
        try:
            with warnings.catch_warnings():  # "input contained no data": reported below
                warnings.simplefilter("ignore", UserWarning)
                a = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2, usecols=usecols,
                               dtype=np.float64)
        except ValueError as exc:
            raise CLIError(f"{path}: non-numeric or ragged data: {exc}") from None
        except UnicodeDecodeError:
            raise CLIError(f"{path}: not a text .csv file") from None
    else:
        raise CLIError(f"{path}: expected a .npy or .csv file")
    if a.dtype.kind not in "biuf":
        raise CLIError(f"{path}: non-numeric data (dtype {a.dtype})")
    if a.size == 0:
        raise CLIError(f"{path}: no data")
    if a.ndim == 2 and a.shape[1] == 1:
        a = a[:, 0]
    return a


def _measure(args, name, fn):
    if args.samples or args.method:
        return _estimate(args, name)
    value = float(fn())
    base = args.base
    if args.json:
        print(json.dumps({"measure": name, "value": value, "base": base}))
    else:
        print(value)
    return 0


# --- estimates from data files (--samples or --method) ----------------------

def _column_array(values):
    """One CSV column as an int, float or string array (the narrowest that
    parses every entry)."""
    for dt in (np.int64, np.float64):
        try:
            return np.array(values, dtype=dt)
        except (ValueError, OverflowError):
            pass
    return np.array(values, dtype=str)


def _load_columns(path):
    """Columns of a .csv (header row) or .npy file: (names, arrays)."""
    if path.endswith(".npy"):
        a = np.load(path, allow_pickle=False)
        if a.ndim == 1:
            return ["0"], [a]
        if a.ndim != 2:
            raise ValueError(f"{path}: expected a 1-D or 2-D array; got shape {a.shape}")
        return [str(j) for j in range(a.shape[1])], [a[:, j] for j in range(a.shape[1])]
    if path.endswith(".csv"):
        import csv

        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        if not rows:
            raise ValueError(f"{path}: empty file (a header row is required)")
        names = [h.strip() for h in rows[0]]
        body = [r for r in rows[1:] if r]
        for i, r in enumerate(body):
            if len(r) != len(names):
                raise ValueError(f"{path}: row {i + 2} has {len(r)} fields, the header "
                                 f"has {len(names)}")
        cols = list(zip(*body)) if body else [()] * len(names)
        return names, [_column_array([v.strip() for v in c]) for c in cols]
    raise ValueError(f"{path}: expected a .npy or .csv file")


def _pick_column(path, names, cols, key, opt):
    if key in names:
        return names.index(key), cols[names.index(key)]
    try:
        j = int(key)
    except ValueError:
        j = None
    if j is None or not -len(cols) <= j < len(cols):
        raise ValueError(f"{path}: no column {key!r} for {opt} (columns: "
                         f"{', '.join(names)}; or an index 0..{len(cols) - 1})")
    return j % len(cols), cols[j]


def _emit(args, name, value, **extra):
    if args.json:
        print(json.dumps({"measure": name, "value": value, "base": args.base,
                          "method": args.method, **extra}))
    elif isinstance(value, list):
        for col, v in zip(extra.get("columns", []), value):
            print(f"{col}\t{v}")
    else:
        print(value)
    return 0


def _estimate(args, name):
    from . import estimate as est

    base, method = args.base, args.method
    if name == "entropy":
        names, cols = _load_columns(args.file)
        if getattr(args, "x", None) is not None:
            j, col = _pick_column(args.file, names, cols, args.x, "--x")
            names, cols = [names[j]], [col]
        if method is None or method in est._discrete.METHODS:
            vals = [float(est.entropy(c, method=method, base=base)) for c in cols]
        else:
            vals = [float(est.differential_entropy(c, method=method, base=base)) for c in cols]
        if len(vals) == 1:
            return _emit(args, name, vals[0], columns=names)
        return _emit(args, name, vals, columns=names)
    if name == "mutual_information":
        names, cols = _load_columns(args.file)
        if args.x is None or args.y is None:
            if len(cols) != 2:
                raise ValueError(f"{args.file}: pick the two columns with --x COL --y COL "
                                 f"(columns: {', '.join(names)})")
            jx, jy = 0, 1
        else:
            jx, _ = _pick_column(args.file, names, cols, args.x, "--x")
            jy, _ = _pick_column(args.file, names, cols, args.y, "--y")
        v = est.mutual_information(cols[jx], cols[jy], method=method, base=base)
        return _emit(args, name, float(v), x=names[jx], y=names[jy])
    # kl_divergence: two sample files, each one (possibly multivariate) variable
    samples = []
    for path in (args.p, args.q):
        _, cols = _load_columns(path)
        arr = np.column_stack(cols) if len(cols) > 1 else cols[0]
        if arr.dtype.kind not in "iuf":
            raise ValueError(f"{path}: KL estimation needs numeric samples")
        samples.append(arr.astype(np.float64))
    kw = {} if method is None else {"method": method}
    v = est.kl_divergence(samples[0], samples[1], base=base, **kw)
    return _emit(args, name, float(v))


def _te(args):
    """``infobits te``: transfer entropy between two columns of a data file."""
    from . import estimate as est

    names, cols = _load_columns(args.file)
    js, src = _pick_column(args.file, names, cols, args.source, "--source")
    jt, tgt = _pick_column(args.file, names, cols, args.target, "--target")
    cond = None
    if args.condition:
        cond = np.column_stack([_pick_column(args.file, names, cols, c, "--condition")[1]
                                for c in args.condition])
    method = args.method
    if method is None:   # labels unless a column holds floats (or strings)
        floats = any(c.dtype.kind == "f" for c in [src, tgt] + ([cond] if cond is not None else []))
        method = "ksg" if floats else "plugin"
    kw = dict(history=args.history, tau=args.tau, source_history=args.source_history,
              source_tau=args.source_tau, delay=args.delay, method=method, base=args.base)
    if cond is not None:
        kw.update(condition=cond, condition_history=args.condition_history,
                  condition_tau=args.condition_tau, condition_delay=args.condition_delay)
    if method == "ksg":
        kw.update(k=args.k, theiler=args.theiler)
    args.method = method
    v = est.transfer_entropy(src, tgt, **kw)
    return _emit(args, "transfer_entropy", float(v), source=names[js], target=names[jt])


def _xy_samples(args):
    if getattr(args, "x", None) is not None or getattr(args, "y", None) is not None:
        args.samples = True
    return args


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
    b.add_argument("--repeats", type=_at_least_one, default=None,
                   help="interleaved repeats per implementation, >= 1 (default 7; 3 with --quick)")
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

    e = sub.add_parser("entropy", help="entropy of a probability array file "
                                       "(--samples: estimated from label columns)")
    e.add_argument("file")
    common(e)
    e.add_argument("--x", default=None, help="with --samples: one column (name or index)")
    e.set_defaults(func=lambda a: _measure(_xy_samples(a), "entropy",
                                           lambda: ib.entropy(_load(a.file), base=a.base)))
    m = sub.add_parser("mi", help="mutual information of a joint probability table file "
                                  "(--x/--y: estimated from two data columns)")
    m.add_argument("file")
    common(m)
    m.add_argument("--x", default=None, help="column of X (name or index); implies --samples")
    m.add_argument("--y", default=None, help="column of Y (name or index); implies --samples")
    m.set_defaults(func=lambda a: _measure(_xy_samples(a), "mutual_information",
                                           lambda: ib.mutual_information(_load(a.file), base=a.base)))
    k = sub.add_parser("kl", help="KL divergence D(P || Q) of two probability array files "
                                  "(--samples: estimated from two sample files)")
    k.add_argument("p")
    k.add_argument("q")
    common(k)
    k.set_defaults(func=lambda a: _measure(a, "kl_divergence",
                                           lambda: ib.kl_divergence(_load(a.p), _load(a.q), base=a.base)))

    t = sub.add_parser("te", help="transfer entropy from one column of a data file to another "
                                  "(.csv with a header row, or .npy)")
    t.add_argument("file")
    t.add_argument("--source", required=True, help="source column (name or index)")
    t.add_argument("--target", required=True, help="target column (name or index)")
    t.add_argument("--condition", action="append", default=[],
                   help="a column to condition on (repeat for several)")
    t.add_argument("--history", type=int, default=1, help="target history length k (default 1)")
    t.add_argument("--tau", type=int, default=1, help="target embedding delay (default 1)")
    t.add_argument("--source-history", type=int, default=1, help="source history length l")
    t.add_argument("--source-tau", type=int, default=1, help="source embedding delay")
    t.add_argument("--delay", type=int, default=1,
                   help="source-target delay u: the newest source value is x[t-u] (default 1)")
    t.add_argument("--condition-history", type=int, default=1)
    t.add_argument("--condition-tau", type=int, default=1)
    t.add_argument("--condition-delay", type=int, default=1)
    t.add_argument("--method", default=None, choices=["ksg", "plugin", "gaussian", "gcmi"],
                   help="default: plugin for integer or string columns, ksg if a column "
                        "holds floats")
    t.add_argument("--k", type=int, default=4, help="neighbours (ksg; default 4)")
    t.add_argument("--theiler", type=int, default=0, help="Theiler window (ksg; default 0)")
    t.add_argument("--base", type=_base, default=2)
    t.add_argument("--json", action="store_true")
    t.set_defaults(func=_te)

    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except CLIError as exc:
        print(f"infobits: error: {exc}", file=sys.stderr)
        return 2
    except (ValueError, TypeError, OSError, LookupError, ArithmeticError) as exc:
        # bad data or options reported by the library: one line, no traceback
        msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"infobits: error: {msg}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("infobits: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - a bug: still one line, but say so
        print(f"infobits: internal error ({type(exc).__name__}): {exc}; "
              "please report it with the command line used", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
