"""Command line: ``infobits`` (also ``python -m infobits``).

Subcommands: ``info`` (versions, SIMD path, threads), ``bench`` (the
benchmark report), ``entropy``, ``mi``, ``kl`` and ``te`` (measures of
``.npy`` or ``.csv`` files, or of standard input given as ``-``).  A user
error (missing file, unknown column, bad data) prints one line on stderr and
exits with status 2, never a traceback; a missing optional dependency names
its install command and exits with status 1.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
import threading
import time

import numpy as np

#: the description shown by ``infobits --help`` (plain text: no markup)
DESCRIPTION = """\
Information theory on the command line: entropy, mutual information, KL
divergence and transfer entropy of .npy and .csv files (or of standard input,
given as -), and the benchmark report."""

EPILOG = """\
examples:
  infobits entropy p.npy                       entropy of a probability array (bits)
  infobits mi joint.csv --base nats            mutual information of a joint table
  infobits kl p.csv q.csv --json               KL divergence D(P || Q) as one JSON object
  infobits mi data.csv --x age --y income --method ksg
                                               MI estimated from two data columns
  infobits entropy data.csv --samples --method miller_madow
                                               entropy of each label column
  cat p.npy | infobits entropy -               read standard input (.npy or CSV text)
  infobits bench --quick                       the benchmark report, in under a minute

Every option and its choices: infobits COMMAND --help"""


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


class CLIError(Exception):
    """A user error on the command line: printed as one line, exit status 2."""


class MissingDependency(Exception):
    """An optional dependency is not installed: one line, exit status 1."""


#: import name -> (what it is called, the pip requirement that installs it)
_PIP = {"scipy": ("SciPy", "scipy"), "pandas": ("pandas", "pandas"),
        "sklearn": ("scikit-learn", "scikit-learn"), "dask": ("Dask", "'dask[array]'"),
        "matplotlib": ("matplotlib", "matplotlib"), "pyarrow": ("pyarrow", "pyarrow")}


def _missing_dependency(exc, what):
    top = (exc.name or "").split(".")[0] or str(exc)
    label, pip = _PIP.get(top, (top, top))
    return MissingDependency(f"{what} needs {label}, which is not installed: "
                             f"pip install {pip}")


# --- options shared by the measure subcommands -------------------------------

#: --base values by name (anything else must be a positive number other than 1)
_BASE_NAMES = {"2": 2, "bits": "bits", "e": "nats", "nats": "nats", "10": 10, "bans": "bans"}
_BASE_HELP = ("log base of the result: 2 or bits (default), e or nats, 10 or bans, "
              "or any positive number other than 1")


def _base(s):
    """``--base``: 2, e, 10, bits, nats, bans or a positive number other than 1."""
    key = s.strip().lower()
    if key in _BASE_NAMES:
        return _BASE_NAMES[key]
    try:
        v = float(key)
    except ValueError:
        v = math.nan
    if not (math.isfinite(v) and v > 0 and v != 1):
        raise argparse.ArgumentTypeError(
            f"expected 2, e, 10, bits, nats or bans (or a positive number other than 1); "
            f"got {s!r}")
    return int(v) if v.is_integer() else v


#: every estimator the command line offers: name -> (kind, what, subcommands).
#: One list for every subcommand: a name means the same estimator wherever
#: it is accepted.
METHODS = {
    "plugin": ("labels", "plug-in (maximum likelihood) estimate", ("entropy", "mi", "te")),
    "miller_madow": ("labels", "Miller-Madow bias correction", ("entropy", "mi")),
    "grassberger": ("labels", "Grassberger (2003)", ("entropy", "mi")),
    "james_stein": ("labels", "James-Stein shrinkage (Hausser & Strimmer 2009)",
                    ("entropy", "mi")),
    "chao_shen": ("labels", "Chao-Shen coverage adjustment (2003)", ("entropy", "mi")),
    "ksg": ("continuous", "Kraskov-Stoegbauer-Grassberger k-nearest neighbours",
            ("mi", "te")),
    "ross": ("continuous", "continuous --x against labels in --y (Ross 2014)", ("mi",)),
    "knn": ("continuous", "k-nearest neighbours (Kozachenko-Leonenko entropy; two-sample "
            "KL divergence)", ("entropy", "kl")),
    "gaussian": ("continuous", "Gaussian closed form", ("entropy", "mi", "te")),
    "gcmi": ("continuous", "Gaussian copula (rank-transformed Gaussian)", ("mi", "te")),
    "vasicek": ("continuous", "1-D m-spacing (Vasicek)", ("entropy",)),
    "van_es": ("continuous", "1-D m-spacing (van Es)", ("entropy",)),
    "ebrahimi": ("continuous", "1-D m-spacing (Ebrahimi)", ("entropy",)),
    "correa": ("continuous", "1-D m-spacing (Correa)", ("entropy",)),
}
#: the library's spelling where it differs from the command line's
_API_METHOD = {"van_es": "van es"}
_DISCRETE = tuple(m for m, (kind, _, _) in METHODS.items() if kind == "labels")


def _methods_for(command):
    return [m for m, (_, _, cmds) in METHODS.items() if command in cmds]


def _method_type(command):
    allowed = _methods_for(command)

    def parse(s):
        key = s.strip().lower().replace("-", "_").replace(" ", "_")
        if key not in allowed:
            others = [m for m in METHODS if m == key]
            where = ("" if not others else
                     f" ({key} is for: {', '.join(METHODS[key][2])})")
            raise argparse.ArgumentTypeError(
                f"{s!r} is not a method of 'infobits {command}'{where}; choose from "
                f"{', '.join(allowed)}")
        return key
    return parse


def _method_help(command, default):
    labels = [m for m in _methods_for(command) if METHODS[m][0] == "labels"]
    cont = [m for m in _methods_for(command) if METHODS[m][0] == "continuous"]
    parts = []
    if labels:
        parts.append("for labels: " + ", ".join(labels))
    if cont:
        parts.append("for continuous data: " + ", ".join(cont))
    return f"estimator, {'; '.join(parts)} (default: {default})"


_NAN_POLICIES = ("propagate", "omit", "raise")
_NAN_HELP = ("what a NaN in the data does (as in SciPy): propagate (default: the result "
             "is nan), omit (leave it out; with --samples, drop the row), raise (an error "
             "naming its position)")


# --- progress on a terminal ---------------------------------------------------

class _Progress:
    """A one-line spinner on stderr for work that takes longer than about a
    second: only when stderr is a terminal (a log gets no carriage-return
    stream); the line is erased before the result is printed.
    ``INFOBITS_PROGRESS_DELAY`` (seconds, default 1) sets when it appears."""

    _FRAMES = "|/-\\"

    def __init__(self, stream=None):
        self.stream = sys.stderr if stream is None else stream
        try:
            self.enabled = self.stream.isatty()
        except (AttributeError, ValueError):
            self.enabled = False
        try:
            self.delay = float(os.environ.get("INFOBITS_PROGRESS_DELAY", "1"))
        except ValueError:
            self.delay = 1.0
        self.text = ""
        self.shown = False
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = None
        self._frame = 0
        self._t0 = time.monotonic()

    def stage(self, text):
        self.text = text
        if self.enabled and self.delay <= 0:   # no delay: every stage shows at once
            self._draw()

    def _draw(self):
        with self._lock:
            if self._stop.is_set():
                return
            frame = self._FRAMES[self._frame % len(self._FRAMES)]
            line = f"{frame} {self.text} ({time.monotonic() - self._t0:.0f} s)"
            self.stream.write("\r" + line[:79].ljust(79))
            self.stream.flush()
            self.shown = True
            self._frame += 1

    def __enter__(self):
        if self.enabled:
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()
        return self

    def _run(self):
        if self._stop.wait(self.delay):
            return
        while not self._stop.is_set():
            self._draw()
            self._stop.wait(0.2)

    def __exit__(self, *exc):
        self.close()
        return False

    def close(self):
        """Stop, and erase the line if one was shown (before printing a result)."""
        with self._lock:
            self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self.shown:
            self.stream.write("\r" + " " * 79 + "\r")
            self.stream.flush()
            self.shown = False


def _stage(args, text):
    p = getattr(args, "progress", None)
    if p is not None:
        p.stage(text)


# --- reading files -------------------------------------------------------------

_STDIN_NAME = "<stdin>"
_CHUNK = 1 << 16


class _Input:
    """A FILE argument: a path, or ``-`` for standard input (read once)."""

    _stdin_bytes = None

    def __init__(self, arg):
        self.arg = arg
        if arg == "-":
            self.name = _STDIN_NAME
            if _Input._stdin_bytes is None:
                _Input._stdin_bytes = sys.stdin.buffer.read()
            self.data = _Input._stdin_bytes
            self.kind = "npy" if self.data.startswith(b"\x93NUMPY") else "csv"
            return
        self.name = arg
        self.data = None
        if not os.path.exists(arg):
            raise CLIError(f"{arg}: no such file")
        if os.path.isdir(arg):
            raise CLIError(f"{arg}: is a directory, not a .npy or .csv file")
        low = arg.lower()
        if low.endswith(".npy"):
            self.kind = "npy"
        elif low.endswith(".csv"):
            self.kind = "csv"
        else:
            raise CLIError(f"{arg}: expected a .npy or .csv file (or - for standard input)")

    def binary(self):
        import io

        return io.BytesIO(self.data) if self.data is not None else open(self.arg, "rb")

    def text(self):
        import io

        return io.TextIOWrapper(self.binary(), encoding="utf-8-sig", newline="")


def _is_number(s):
    try:
        float(s)
    except ValueError:
        return False
    return True


def _header(src, no_header):
    """(column names, number of columns, the rows to skip) of a CSV input."""
    import csv

    with src.text() as f:
        try:
            first = next(r for r in csv.reader(f) if r)
        except StopIteration:
            raise CLIError(f"{src.name}: empty file (a .csv needs a header row and data "
                           f"rows)") from None
        except (UnicodeDecodeError, csv.Error) as exc:
            raise CLIError(f"{src.name}: not a readable text .csv file ({exc})") from None
    cells = [h.strip().strip('"').strip("'") for h in first]
    if no_header:
        return [str(j) for j in range(len(cells))], len(cells), 0
    if all(c and _is_number(c) for c in cells):
        raise CLIError(f"{src.name}: row 1 ({','.join(first)[:40]}) holds numbers, not "
                       f"column names: add a header row, or pass --no-header")
    return cells, len(cells), 1


def _pick(names, col, path, opt=None):
    """Index of column ``col`` (a header name, or a 0-based index as text or int)."""
    where = f" for {opt}" if opt else ""
    if isinstance(col, str) and col in names:
        return names.index(col)
    try:
        i = int(col)
    except (TypeError, ValueError):
        raise CLIError(f"{path}: no column {col!r}{where} (columns: {', '.join(names)})"
                       ) from None
    if not -len(names) <= i < len(names):
        raise CLIError(f"{path}: column index {i}{where} out of range ({len(names)} columns)")
    return i % len(names)


def _typed(cells, numeric):
    """Text cells (an array of str) -> float64 when numbers are required
    (None if a cell is not one); for samples (``numeric=False``) int64 if all
    are integers, else float64, else the strings themselves (labels)."""
    for dtype in ((np.float64,) if numeric else (np.int64, np.float64)):
        try:
            return cells.astype(dtype)
        except (ValueError, OverflowError):
            pass
    return None if numeric else cells


def _csv_stream(src, names, ncols, skip, idx, numeric):
    """Read columns ``idx`` of a CSV with the csv module, chunk by chunk into
    typed arrays (memory: the columns read, not the file).  Also the
    reference for the messages: the first problem raises :class:`CLIError`
    naming the row (1-based, the header is row 1), the column and what is
    wrong."""
    import csv

    parts = [[] for _ in idx]
    cells = [[] for _ in idx]
    rows = []

    def flush():
        for k, j in enumerate(idx):
            a = np.array(cells[k], dtype=str)
            t = _typed(a, numeric)
            if t is None:
                bad = next(i for i, v in enumerate(cells[k]) if not _is_number(v))
                raise CLIError(f"{src.name}: row {rows[bad]}, column {j + 1} ({names[j]}): "
                               f"non-numeric cell {cells[k][bad]!r}")
            parts[k].append(t.astype(np.float64) if numeric else a)
            cells[k].clear()
        rows.clear()

    with src.text() as f:
        reader = csv.reader(f)
        try:
            for _ in range(skip):
                next(r for r in reader if r)
            for rec in reader:
                if not rec:
                    continue
                if len(rec) != ncols:
                    raise CLIError(f"{src.name}: row {reader.line_num} has {len(rec)} "
                                   f"field{'s' * (len(rec) != 1)}, "
                                   f"{'the header has' if skip else 'row 1 has'} {ncols}")
                for k, j in enumerate(idx):
                    v = rec[j].strip()
                    if not v:
                        raise CLIError(f"{src.name}: row {reader.line_num}, column {j + 1} "
                                       f"({names[j]}): empty cell")
                    cells[k].append(v)
                rows.append(reader.line_num)
                if len(rows) >= _CHUNK:
                    flush()
        except (UnicodeDecodeError, csv.Error) as exc:
            raise CLIError(f"{src.name}: row {reader.line_num}: not readable as CSV text "
                           f"({exc})") from None
        if rows:
            flush()
    if not parts[0]:
        raise CLIError(f"{src.name}: header row only, no data rows" if skip
                       else f"{src.name}: no data")
    out = []
    for p in parts:
        a = np.concatenate(p)
        out.append(a if numeric else _typed(a, False))
    return out


def _fast_reader():
    """The fastest CSV reader installed: ("pyarrow", module), ("pandas",
    module) or (None, None) for the csv-module reader."""
    try:
        import pyarrow.csv as pacsv

        return "pyarrow", pacsv
    except ImportError:
        pass
    return _pandas()


def _column_from(values, na, numeric):
    """A column parsed by pyarrow or pandas (as a NumPy array, or None when
    the csv-module reader must say what is wrong)."""
    if na:
        return None                       # an empty cell or a short row
    if values.dtype.kind in "iuf":
        return values.astype(np.float64) if numeric else values
    if values.dtype.kind == "b" and not numeric:
        return values
    if values.dtype.kind not in "OUS":
        return None if numeric else values.astype(str)
    a = np.char.strip(values.astype(str))
    return _typed(a, numeric)


def _pandas():
    try:
        import pandas as pd
    except ImportError:
        return None, None
    return "pandas", pd


def _csv_pyarrow(mod, src, cols, want, skip, numeric):
    """The columns ``want`` streamed block by block by pyarrow (memory: the
    columns read plus a few blocks, not the file); None if pyarrow cannot
    read them as typed columns."""
    import pyarrow as pa

    try:
        with src.binary() as f:
            reader = mod.open_csv(
                f, read_options=mod.ReadOptions(column_names=cols, skip_rows=skip),
                convert_options=mod.ConvertOptions(include_columns=want, null_values=[""],
                                                   strings_can_be_null=True,
                                                   quoted_strings_can_be_null=True))
            table = reader.read_all()
    except (pa.ArrowException, StopIteration, UnicodeDecodeError) as exc:
        # a parse error (a row of the wrong length) is for the csv-module reader to
        # locate; a conversion error (a type change past the first block) for pandas
        return "parse" if "parse error" in str(exc).lower() else None
    if table.num_rows == 0:
        return "parse"
    got = {}
    for c in want:
        col = table.column(c)
        na = col.null_count > 0
        got[c] = _column_from(None if na else col.to_numpy(), na, numeric)
    return got


def _csv_fast(kind, mod, src, names, ncols, skip, idx, numeric):
    """Columns ``idx`` read by pyarrow (multithreaded, only those columns
    converted) or pandas' C reader; None where the csv-module reader must
    diagnose a problem."""
    cols = [f"c{j}" for j in range(ncols)]
    want = list(dict.fromkeys(cols[j] for j in idx))
    got = None
    if kind == "pyarrow":
        got = _csv_pyarrow(mod, src, cols, want, skip, numeric)
        if got == "parse":
            return None
        if got is None:                   # a type change past the first block, or bad data:
            kind, mod = _pandas()         # pandas' reader infers over whole columns
            if kind is None:
                return None
    if got is None:
        import warnings

        try:
            with warnings.catch_warnings():   # mixed types in a column: handled below
                warnings.simplefilter("ignore", mod.errors.DtypeWarning)
                df = mod.read_csv(src.binary(), header=None, names=cols, skiprows=skip,
                                  index_col=False, keep_default_na=False, na_values=[""],
                                  dtype_backend="numpy_nullable", engine="c")
        except (ValueError, TypeError, UnicodeDecodeError):   # the csv-module reader says why
            return None
        if len(df) == 0 or df.isna().any().any():   # empty cells or short rows
            return None
        got = {}
        for c in want:
            s = df[c]
            na = bool(s.isna().any())
            values = None if na else s.to_numpy(dtype=object if s.dtype.kind in "OUST"
                                                 else None)
            if values is not None and s.dtype.kind in "iuf":
                values = s.to_numpy(dtype=np.float64 if s.dtype.kind == "f" else np.int64)
            got[c] = _column_from(values, na, numeric)
    out = [got[cols[j]] for j in idx]
    return None if any(o is None for o in out) else out


def _read_csv(src, columns=None, numeric=True, no_header=False):
    """(names, list of 1-D arrays) of the columns ``columns`` of a CSV input."""
    names, ncols, skip = _header(src, no_header)
    idx = (list(range(ncols)) if columns is None
           else [_pick(names, c, src.name) for c in columns])
    kind, mod = _fast_reader()
    out = None
    if kind is not None:
        out = _csv_fast(kind, mod, src, names, ncols, skip, idx, numeric)
    if out is None:                        # no fast reader, or a problem to locate
        out = _csv_stream(src, names, ncols, skip, idx, numeric)
    return [names[j] for j in idx], out


def _read_npy(src, numeric=True):
    try:
        with src.binary() as f:
            a = np.load(f, allow_pickle=False)
    except (ValueError, OSError, EOFError) as exc:
        raise CLIError(f"{src.name}: not a readable .npy file ({exc})") from None
    if a.dtype.kind not in ("biuf" if numeric else "biufUS"):
        raise CLIError(f"{src.name}: non-numeric data (dtype {a.dtype})")
    return a


def _load(path, columns=None, numeric=True, no_header=False):
    """Read a ``.npy`` or ``.csv`` (header row, comma-separated) file, or
    standard input for ``-``.

    ``columns``: None for the whole table, else a list of column names
    (``.csv`` header) or 0-based indices; one column gives a 1-D array,
    several an ``(n, k)`` array.  Whole ``.csv`` tables of one column are
    1-D too.  Every problem (missing file, unknown column, non-numeric or
    empty data) is raised as :class:`CLIError` with a one-line message.

    ``numeric=False`` (samples for the estimators): ``.csv`` columns may hold
    labels; each selected column becomes int64, float64 or str, whichever
    fits all its cells, and several columns come back as a list of 1-D arrays.
    """
    src = path if isinstance(path, _Input) else _Input(path)
    if src.kind == "npy":
        a = _read_npy(src, numeric)
        if columns is not None:
            if a.ndim != 2:
                raise CLIError(f"{src.name}: column selection needs a 2-D array, "
                               f"got {a.ndim}-D")
            names = [str(i) for i in range(a.shape[1])]
            a = a[:, [_pick(names, c, src.name) for c in columns]]
        if a.size == 0:
            raise CLIError(f"{src.name}: no data")
        if not numeric and a.ndim == 2:
            cols = [a[:, j] for j in range(a.shape[1])]
            return cols[0] if len(cols) == 1 else cols
        if a.ndim == 2 and a.shape[1] == 1:
            a = a[:, 0]
        return a
    _, cols = _read_csv(src, columns, numeric, no_header)
    if not numeric:
        return cols[0] if len(cols) == 1 else cols
    return cols[0] if len(cols) == 1 else np.column_stack(cols)


def _load_columns(src, no_header=False):
    """Columns of a data input: (names, list of 1-D arrays: int64, float64 or str)."""
    if src.kind == "npy":
        a = _read_npy(src, numeric=False)
        if a.ndim == 1:
            return ["0"], [a]
        if a.ndim != 2:
            raise CLIError(f"{src.name}: expected a 1-D or 2-D array; got shape {a.shape}")
        if a.size == 0:
            raise CLIError(f"{src.name}: no data")
        return [str(j) for j in range(a.shape[1])], [a[:, j] for j in range(a.shape[1])]
    return _read_csv(src, None, numeric=False, no_header=no_header)


def _select(src, keys, no_header=False):
    """Only the columns ``keys`` (name or index each, paired with the option
    that named it): (names, arrays).  Reads just those columns of a CSV."""
    if src.kind == "npy":
        names, cols = _load_columns(src)
        js = [_pick(names, k, src.name, opt) for k, opt in keys]
        return [names[j] for j in js], [cols[j] for j in js]
    names, ncols, _ = _header(src, no_header)
    js = [_pick(names, k, src.name, opt) for k, opt in keys]
    return _read_csv(src, js, numeric=False, no_header=no_header)


# --- NaN handling of samples --------------------------------------------------

def _nan_rows(cols):
    mask = None
    for c in cols:
        if c.dtype.kind == "f":
            m = np.isnan(c) if c.ndim == 1 else np.isnan(c).any(axis=tuple(range(1, c.ndim)))
            mask = m if mask is None else mask | m
    return mask


def _apply_nan_policy(args, src, names, cols):
    """Samples with NaN: ``omit`` drops the rows, ``raise`` names the first
    one; ``propagate`` returns None (the result is nan)."""
    mask = _nan_rows(cols)
    if mask is None or not mask.any():
        return cols
    if args.nan_policy == "omit":
        keep = ~mask
        return [c[keep] for c in cols]
    if args.nan_policy == "raise":
        i = int(np.argmax(mask))
        name = next(nm for nm, c in zip(names, cols)
                    if c.dtype.kind == "f" and np.isnan(c[i]).any())
        first = 1 if getattr(args, "no_header", False) else 2
        where = f"row {i + first}" if src.kind == "csv" else f"index {i}"
        raise CLIError(f"{src.name}: {where}, column {name!r}: NaN (--nan-policy raise)")
    return None


# --- the measures ----------------------------------------------------------------

def _emit(args, name, value, **extra):
    p = getattr(args, "progress", None)
    if p is not None:
        p.close()
    if args.json:
        # strict JSON (RFC 8259 has no NaN or Infinity): a value that is not
        # finite is null, and "nonfinite" says which ("nan", "inf", "-inf")
        def strict(v):
            if isinstance(v, float) and not math.isfinite(v):
                return None
            return v
        vals = value if isinstance(value, list) else [value]
        bad = {i: repr(v) for i, v in enumerate(vals)
               if isinstance(v, float) and not math.isfinite(v)}
        out = {"measure": name,
               "value": [strict(v) for v in value] if isinstance(value, list) else strict(value),
               "base": args.base, "method": getattr(args, "method", None), **extra}
        if bad:
            out["nonfinite"] = ([bad.get(i) for i in range(len(vals))]
                                if isinstance(value, list) else bad[0])
        print(json.dumps(out, allow_nan=False))
    elif isinstance(value, list):
        for col, v in zip(extra.get("columns", []), value):
            print(f"{col}\t{v}")
    else:
        print(value)
    return 0


def _measure(args, name):
    """A measure of probability arrays, or (``--samples``, ``--x``/``--y``)
    an estimate from data."""
    xy = getattr(args, "x", None) is not None or getattr(args, "y", None) is not None
    if args.samples or xy:
        if args.normalize:
            raise CLIError("--normalize is for probability arrays (counts or weights), "
                           "not for --samples")
        return _estimate(args, name)
    if args.method is not None:
        raise CLIError(f"--method {args.method} needs --samples: without it the file "
                       f"holds probabilities, which have no estimator")
    import infobits as ib

    kw = dict(base=args.base, nan_policy=args.nan_policy, normalize=args.normalize)
    srcs = [_Input(f) for f in ((args.p, args.q) if name == "kl_divergence" else (args.file,))]
    arrays = []
    for src in srcs:
        _stage(args, f"reading {src.name}")
        arrays.append(_load(src, no_header=args.no_header))
    _stage(args, f"computing the {name.replace('_', ' ')}")
    try:
        if name == "entropy":
            value = ib.entropy(arrays[0], **kw)
        elif name == "mutual_information":
            if arrays[0].ndim < 2:
                raise CLIError(f"{srcs[0].name}: a joint probability table needs 2 columns "
                               f"or more, got 1 (for two data columns use --x COL --y COL)")
            value = ib.mutual_information(arrays[0], **kw)
        else:
            value = ib.kl_divergence(arrays[0], arrays[1], **kw)
    except ValueError as exc:
        raise CLIError(_probability_error(str(exc), srcs, arrays, args.no_header)) from None
    return _emit(args, name, float(value))


def _position(src, a, index, no_header=False):
    """Where entry ``index`` (the library's logical index) of the array read
    from ``src`` sits in the file."""
    idx = [int(v) for v in index.strip("()").split(",") if v.strip()]
    if src.kind != "csv" or not idx or len(idx) > 2:
        return f"index {index}"
    row = idx[0] + (1 if no_header else 2)
    col = idx[1] + 1 if len(idx) == 2 else 1
    return f"row {row}, column {col}"


def _probability_error(msg, srcs, arrays, no_header=False):
    """A library message about probability arrays in the command line's words:
    the file instead of the argument, its row and column instead of an index."""
    import re

    msg = msg.splitlines()[0]
    args = {"p": 0, "p_xy": 0, "q": 1}
    m = re.match(r"^\w+: (?:nan_policy='raise' and )?(p_xy|p|q) ", msg)
    if m:
        k = args[m.group(1)]
        src, a = srcs[k], arrays[k]
        msg = msg[m.end():]
        msg = re.sub(r"at index (\(.*?\)|\d+)",
                     lambda mm: f"at {_position(src, a, mm.group(1), no_header)}", msg)
        msg = re.sub(r"^contains NaN at (.*)$", r"NaN at \1 (--nan-policy raise)", msg)
        msg = f"{src.name}: {msg}"
    msg = re.sub(r": pass normalize=True for counts or weights, or use infobits\.estimate "
                 r"\([\w.]+\) for samples", ": pass --normalize for counts or weights, or "
                 "--samples for data", msg)
    if msg.startswith("shapes could not be broadcast") and len(srcs) == 2:
        msg = (f"{srcs[0].name} and {srcs[1].name}: P and Q need the same shape; got "
               f"{arrays[0].shape} and {arrays[1].shape}")
    return _cli_words(msg)


def _float_labels_error(src, name, command):
    cont = [m for m in _methods_for(command) if METHODS[m][0] == "continuous"]
    return CLIError(f"{src.name}: column {name} holds non-integer numbers, which may be "
                    f"labels or continuous data: pass --method plugin (or another method "
                    f"for labels) to treat them as labels, or --method "
                    f"{' / '.join(cont)} for continuous data")


def _numeric(src, name, c, method):
    if c.dtype.kind not in "biuf":
        raise CLIError(f"{src.name}: column {name} holds text labels; --method {method} "
                       f"needs numbers")
    return c.astype(np.float64)


def _api(method):
    return _API_METHOD.get(method, method)


def _estimate(args, name):
    return _in_cli_words(args, _estimate_, args, name)


def _in_cli_words(args, fn, *a):
    """Run an estimate; a library ValueError becomes one line naming the file(s)."""
    try:
        return fn(*a)
    except ValueError as exc:
        msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        import re

        msg = re.sub(r"^'(\w+)' needs", r"--method \1 needs", msg)
        if args.command == "te":    # the keywords of transfer_entropy are options here
            msg = re.sub(r"\b(source_history|source_tau|condition_history|condition_tau|"
                         r"condition_delay|history|tau|delay|theiler|k)\b(?= must| =)",
                         lambda m: "--" + m.group(1).replace("_", "-"), msg)
        files = [getattr(args, a) for a in ("file", "p", "q") if getattr(args, a, None)]
        where = " and ".join(_STDIN_NAME if f == "-" else f for f in files)
        raise CLIError(f"{where}: {_cli_words(msg)}") from None


def _estimate_(args, name):
    from . import estimate as est

    base, method = args.base, args.method
    if name == "entropy":
        src = _Input(args.file)
        _stage(args, f"reading {src.name}")
        if args.x is not None:
            names, cols = _select(src, [(args.x, "--x")], args.no_header)
        else:
            names, cols = _load_columns(src, args.no_header)
        vals = []
        for nm, c in zip(names, cols):
            (c,) = _apply_nan_policy(args, src, [nm], [c]) or [None]
            _stage(args, f"estimating the entropy of {nm}")
            if c is None:
                vals.append(math.nan)
            elif method is None or method in _DISCRETE:
                if method is None and c.dtype.kind == "f":
                    raise _float_labels_error(src, nm, "entropy")
                vals.append(float(est.entropy(c, method=method, base=base)))
            else:
                vals.append(float(est.differential_entropy(
                    _numeric(src, nm, c, method), method=_api(method), base=base)))
        if len(vals) == 1:
            return _emit(args, name, vals[0], column=names[0])
        return _emit(args, name, vals, columns=names)
    if name == "mutual_information":
        src = _Input(args.file)
        _stage(args, f"reading {src.name}")
        if args.x is None or args.y is None:
            if args.x is not None or args.y is not None:
                raise CLIError(f"give both --x and --y (got only "
                               f"{'--x' if args.y is None else '--y'})")
            names, cols = _load_columns(src, args.no_header)
            if len(cols) != 2:
                raise CLIError(f"{src.name}: pick the two columns with --x COL --y COL "
                               f"(columns: {', '.join(names)})")
        else:
            names, cols = _select(src, [(args.x, "--x"), (args.y, "--y")], args.no_header)
        cols = _apply_nan_policy(args, src, names, cols)
        if cols is None:
            return _emit(args, name, math.nan, x=names[0], y=names[1])
        x, y = cols
        if method is None and (x.dtype.kind == "f" or y.dtype.kind == "f"):
            raise _float_labels_error(src, names[0] if x.dtype.kind == "f" else names[1], "mi")
        if method in ("ksg", "gaussian", "gcmi"):
            x, y = _numeric(src, names[0], x, method), _numeric(src, names[1], y, method)
        elif method == "ross":
            if y.dtype.kind == "f" and x.dtype.kind != "f":
                raise CLIError(
                    f"{src.name}: --method ross takes continuous values in --x and labels "
                    f"in --y, but --x column '{names[0]}' holds labels ({x.dtype}) and "
                    f"--y column '{names[1]}' holds floats: swap --x and --y")
            x = _numeric(src, names[0], x, method)
            if y.dtype.kind == "f" and np.unique(y).size == y.size:
                raise CLIError(
                    f"{src.name}: --method ross needs labels in --y, but every value of "
                    f"--y column '{names[1]}' occurs once (continuous data?); --x column "
                    f"'{names[0]}' is the continuous one: use --method ksg for two "
                    f"continuous columns")
        _stage(args, f"estimating the mutual information ({method or 'plugin'})")
        v = est.mutual_information(x, y, method=method, base=base)
        return _emit(args, name, float(v), x=names[0], y=names[1])
    # kl_divergence: two sample files, each one (possibly multivariate) variable
    if method not in (None, "knn"):
        raise CLIError(f"--method {method} is not a method of 'infobits kl'")
    samples = []
    for arg in (args.p, args.q):
        src = _Input(arg)
        _stage(args, f"reading {src.name}")
        names, cols = _load_columns(src, args.no_header)
        for nm, c in zip(names, cols):
            _numeric(src, nm, c, "knn")
        arr = np.column_stack(cols).astype(np.float64)
        kept = _apply_nan_policy(args, src, ["(any)"], [arr])
        if kept is None:
            return _emit(args, name, math.nan)
        samples.append(kept[0])
    _stage(args, "estimating the KL divergence (knn)")
    p, q = (s[:, 0] if s.shape[1] == 1 else s for s in samples)
    v = est.kl_divergence(p, q, base=base)
    return _emit(args, name, float(v))


def _te(args):
    """``infobits te``: transfer entropy between two columns of a data file."""
    from . import estimate as est

    src = _Input(args.file)
    _stage(args, f"reading {src.name}")
    keys = [(args.source, "--source"), (args.target, "--target")]
    keys += [(c, "--condition") for c in args.condition]
    names, cols = _select(src, keys, args.no_header)
    src_col, tgt = cols[0], cols[1]
    cond = np.column_stack(cols[2:]) if args.condition else None
    method = args.method
    if method is None:   # labels unless a column holds floats (or strings)
        floats = any(c.dtype.kind == "f" for c in cols)
        method = "ksg" if floats else "plugin"
    kw = dict(history=args.history, tau=args.tau, source_history=args.source_history,
              source_tau=args.source_tau, delay=args.delay, method=method, base=args.base)
    if cond is not None:
        kw.update(condition=cond, condition_history=args.condition_history,
                  condition_tau=args.condition_tau, condition_delay=args.condition_delay)
    if method == "ksg":
        kw.update(k=args.k, theiler=args.theiler)
    args.method = method
    _stage(args, f"estimating the transfer entropy ({method})")
    v = est.transfer_entropy(src_col, tgt, **kw)
    return _emit(args, "transfer_entropy", float(v), source=names[0], target=names[1])


#: Python-call phrasing in the library's messages -> the command line's words
_PHRASES = (
    ("method='", "--method '"), ('method="', '--method "'), ("base=", "--base "),
    ("differential_entropy(x)", "a continuous --method"),
    ("normalize=True", "--normalize"), ("infobits.estimate", "--samples"),
)


def _cli_words(msg):
    for old, new in _PHRASES:
        msg = msg.replace(old, new)
    return msg


def _file_help(what):
    return (f"{what}: a .npy file, or a .csv file with a header row (comma-separated), "
            f"or - to read standard input (.npy bytes or CSV text)")


def _common(p, command, method_default):
    p.add_argument("--base", type=_base, default=2, metavar="BASE", help=_BASE_HELP)
    p.add_argument("--method", type=_method_type(command), default=None, metavar="NAME",
                   help=_method_help(command, method_default))
    p.add_argument("--nan-policy", choices=_NAN_POLICIES, default="propagate",
                   help=_NAN_HELP)
    p.add_argument("--json", action="store_true",
                   help='print one JSON object: {"measure": ..., "value": ..., "base": ...}')
    p.add_argument("--normalize", action="store_true",
                   help="the file holds counts or weights: divide by their sum first "
                        "(probability arrays only)")
    p.add_argument("--no-header", action="store_true",
                   help="the .csv files have no header row (columns are then named by "
                        "0-based index)")


def build_parser():
    """The argument parser of ``infobits`` (every subcommand)."""
    import infobits as ib

    parser = argparse.ArgumentParser(prog="infobits", description=DESCRIPTION, epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"infobits {ib.__version__}",
                        help="print the version and exit")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                title="commands")

    b = sub.add_parser("bench", help="run the benchmark workloads and write a report")
    b.add_argument("--quick", action="store_true", help="small sizes; finishes in under a minute")
    b.add_argument("--out", default="infobits-report", help="report folder (default ./infobits-report)")
    b.add_argument("--repeats", type=_at_least_one, default=None,
                   help="interleaved repeats per implementation, >= 1 (default 7; 3 with --quick)")
    b.add_argument("--no-progress", action="store_true", help="no progress bar")
    b.set_defaults(func=cmd_bench)

    i = sub.add_parser("info", help="versions, SIMD path, OpenMP threads")
    i.add_argument("--json", action="store_true", help="print one JSON object")
    i.set_defaults(func=cmd_info)

    e = sub.add_parser("entropy", help="entropy of a probability array (--samples: estimated "
                                       "from data columns)",
                       description="Entropy of a probability array, or with --samples "
                                   "estimated from the data in each column (or in --x).")
    e.add_argument("file", metavar="FILE", help=_file_help("the probabilities (or, with "
                                                           "--samples, the data)"))
    e.add_argument("--samples", action="store_true",
                   help="FILE holds data (samples), not probabilities: estimate the entropy "
                        "of each column")
    _common(e, "entropy", "plugin for integer or text columns; a column of non-integer "
                          "numbers needs an explicit method")
    e.add_argument("--x", default=None, metavar="COL",
                   help="only this column (header name or 0-based index); implies --samples")
    e.set_defaults(func=lambda a: _measure(a, "entropy"))

    m = sub.add_parser("mi", help="mutual information of a joint probability table "
                                  "(--x/--y: estimated from two data columns)",
                       description="Mutual information of a joint probability table (rows: "
                                   "X, columns: Y), or estimated from two data columns "
                                   "(--x COL --y COL, or --samples on a two-column file).")
    m.add_argument("file", metavar="FILE", help=_file_help("the joint table (or the data)"))
    m.add_argument("--samples", action="store_true",
                   help="FILE holds data: two columns, X and Y")
    _common(m, "mi", "plugin for integer or text columns; non-integer numbers need an "
                     "explicit method")
    m.add_argument("--x", default=None, metavar="COL",
                   help="column of X (header name or 0-based index); implies --samples")
    m.add_argument("--y", default=None, metavar="COL",
                   help="column of Y (header name or 0-based index); implies --samples")
    m.set_defaults(func=lambda a: _measure(a, "mutual_information"))

    k = sub.add_parser("kl", help="KL divergence D(P || Q) of two probability arrays "
                                  "(--samples: estimated from two sample files)",
                       description="KL divergence D(P || Q) of two probability arrays, or "
                                   "with --samples estimated from samples of P and of Q "
                                   "(each file one variable; several columns are its "
                                   "dimensions).")
    k.add_argument("p", metavar="P", help=_file_help("P"))
    k.add_argument("q", metavar="Q", help=_file_help("Q"))
    k.add_argument("--samples", action="store_true",
                   help="P and Q hold samples, not probabilities")
    _common(k, "kl", "knn")
    k.set_defaults(func=lambda a: _measure(a, "kl_divergence"))

    t = sub.add_parser("te", help="transfer entropy from one column of a data file to another",
                       description="Transfer entropy from the --source column to the "
                                   "--target column of a data file.")
    t.add_argument("file", metavar="FILE", help=_file_help("the data"))
    t.add_argument("--source", required=True, metavar="COL",
                   help="source column (header name or 0-based index)")
    t.add_argument("--target", required=True, metavar="COL",
                   help="target column (header name or 0-based index)")
    t.add_argument("--condition", action="append", default=[], metavar="COL",
                   help="a column to condition on (repeat for several)")
    t.add_argument("--history", type=int, default=1, help="target history length k (default 1)")
    t.add_argument("--tau", type=int, default=1, help="target embedding delay (default 1)")
    t.add_argument("--source-history", type=int, default=1,
                   help="source history length l (default 1)")
    t.add_argument("--source-tau", type=int, default=1, help="source embedding delay (default 1)")
    t.add_argument("--delay", type=int, default=1,
                   help="source-target delay u: the newest source value is x[t-u] (default 1)")
    t.add_argument("--condition-history", type=int, default=1,
                   help="history length of each condition (default 1)")
    t.add_argument("--condition-tau", type=int, default=1,
                   help="embedding delay of each condition (default 1)")
    t.add_argument("--condition-delay", type=int, default=1,
                   help="condition-target delay (default 1)")
    t.add_argument("--method", type=_method_type("te"), default=None, metavar="NAME",
                   help=_method_help("te", "plugin for integer or text columns, ksg if a "
                                           "column holds non-integer numbers"))
    t.add_argument("--k", type=int, default=4, help="neighbours (ksg; default 4)")
    t.add_argument("--theiler", type=int, default=0, help="Theiler window (ksg; default 0)")
    t.add_argument("--base", type=_base, default=2, metavar="BASE", help=_BASE_HELP)
    t.add_argument("--json", action="store_true",
                   help='print one JSON object: {"measure": ..., "value": ..., "base": ...}')
    t.add_argument("--no-header", action="store_true",
                   help="the .csv file has no header row (columns are then named by "
                        "0-based index)")
    t.set_defaults(func=lambda a: _in_cli_words(a, _te, a))
    return parser


def main(argv=None):
    """Run the command line with ``argv`` (default ``sys.argv[1:]``): the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    files = [getattr(args, a, None) for a in ("file", "p", "q")]
    if files.count("-") > 1:
        parser.error("only one FILE can be - (standard input)")
    _Input._stdin_bytes = None
    import warnings

    def one_line(message, category, filename, lineno, file=None, line=None):
        text = str(message).strip().splitlines()[0] if str(message).strip() else ""
        print(f"infobits: warning: {_cli_words(text)}", file=sys.stderr)

    with warnings.catch_warnings():
        warnings.showwarning = one_line
        return _run(args)


def _run(args):
    try:
        if args.command in ("bench", "info"):
            return args.func(args)
        with _Progress() as args.progress:
            return args.func(args)
    except CLIError as exc:
        print(f"infobits: error: {exc}", file=sys.stderr)
        return 2
    except ImportError as exc:
        if (exc.name or "infobits").split(".")[0] == "infobits":
            print(f"infobits: internal error (ImportError): {exc}; please report it with "
                  "the command line used", file=sys.stderr)
            return 1
        print(f"infobits: error: {_missing_dependency(exc, 'infobits ' + args.command)}",
              file=sys.stderr)
        return 1
    except (ValueError, TypeError, OSError, LookupError, ArithmeticError) as exc:
        # bad data or options reported by the library: one line, no traceback
        msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"infobits: error: {_cli_words(msg)}", file=sys.stderr)
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
