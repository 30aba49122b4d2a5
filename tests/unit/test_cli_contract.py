"""The command line as a new user meets it (issue 23): help text, --version,
--base, --nan-policy, standard input, one list of methods, messages that name
options and positions, missing optional dependencies, CSV readers, progress,
and the lazy subpackage attributes.

Everything runs ``python -m infobits`` (or a ``-c`` wrapper around
``infobits.cli.main`` where a module must be hidden) in a subprocess, and
compares values against SciPy and scikit-learn.
"""
import json
import math
import os
import subprocess
import sys

import numpy as np
import pytest

import infobits as ib

scipy_stats = pytest.importorskip("scipy.stats")
sk_metrics = pytest.importorskip("sklearn.metrics")

SRC = os.path.join(os.path.dirname(ib.__file__), os.pardir)
ENV = {**os.environ, "PYTHONPATH": os.path.abspath(SRC) + os.pathsep
       + os.environ.get("PYTHONPATH", "")}
ENV.pop("INFOBITS_SIMD", None)

#: the CSV readers: pyarrow (when installed), pandas' C reader (pyarrow
#: hidden), the csv-module reader (pyarrow and pandas hidden)
READERS = {"fast": (), "pandas-c": ("pyarrow",), "csv-module": ("pyarrow", "pandas")}


def run(*args, stdin=None, block=(), env=None, text=True):
    """``python -m infobits ARGS``; with ``block``, those modules are hidden
    (a finder first on ``sys.meta_path`` raises ModuleNotFoundError for them and
    their submodules, as for a package that is not installed; a ``None`` in
    ``sys.modules`` is not the same: pandas 2.2 then finds "pyarrow" there)."""
    if block:
        code = ("import sys\n"
                "class _Block:\n"
                "    def find_spec(self, name, path=None, target=None):\n"
                f"        if name.split('.')[0] in {tuple(block)!r}:\n"
                "            raise ModuleNotFoundError(f'No module named {name!r}', name=name)\n"
                "sys.meta_path.insert(0, _Block())\n"
                f"from infobits.cli import main\nsys.exit(main({list(args)!r}))")
        cmd = [sys.executable, "-c", code]
    else:
        cmd = [sys.executable, "-m", "infobits", *args]
    return subprocess.run(cmd, input=stdin, capture_output=True, text=text, timeout=300,
                          env=env or ENV)


def one_line_error(r, *fragments, status=2):
    assert r.returncode == status, (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("infobits: error: "), lines[0]
    for f in fragments:
        assert f in lines[0], (f, lines[0])
    return lines[0]


def argparse_error(r, *fragments):
    """An option argparse rejects: status 2, the usage, then one error line."""
    assert r.returncode == 2 and r.stdout == "", (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    last = r.stderr.strip().splitlines()[-1]
    assert r.stderr.startswith("usage: infobits") and "error: argument " in last, r.stderr
    for f in fragments:
        assert f in last, (f, last)
    return last


def no_python_calls(line):
    # messages speak of options and arguments, never of Python calls
    for bad in ("method=", "base=", "normalize=", "nan_policy=", "(x)", "infobits.estimate"):
        assert bad not in line, (bad, line)


# --- help, description, --version --------------------------------------------

def test_every_option_and_argument_has_help_and_choices_are_listed():
    from infobits.cli import METHODS, build_parser

    parser = build_parser()
    subs = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for name, sub in subs.choices.items():
        for action in sub._actions:
            assert action.help, (name, action.dest)
            if action.choices is not None:
                for c in action.choices:
                    assert str(c) in sub.format_help(), (name, action.dest, c)
    r = run("--help")
    assert r.returncode == 0
    assert "`" not in r.stdout and ":func:" not in r.stdout   # plain text, no markup
    for cmd in ("entropy", "mi", "kl", "te", "info", "bench"):
        assert cmd in r.stdout
    # the methods each subcommand takes are shown in its help, from one list
    for cmd in ("entropy", "mi", "kl", "te"):
        out = run(cmd, "--help").stdout
        assert "`" not in out
        out = " ".join(out.split())
        offered = [m for m, (_, _, cmds) in METHODS.items() if cmd in cmds]
        assert offered
        for m in offered:
            assert m in out, (cmd, m)
        for word in ("bits", "nats", "bans", "BASE"):
            assert word in out, (cmd, word)
        if cmd != "te":
            for word in ("propagate", "omit", "raise", "standard input"):
                assert word in out, (cmd, word)


def test_version():
    r = run("--version")
    assert r.returncode == 0 and r.stdout.strip() == f"infobits {ib.__version__}"


def test_one_method_list_across_subcommands(tmp_path):
    rng = np.random.default_rng(1)
    x = rng.standard_normal(500)
    np.savetxt(tmp_path / "x.csv", x, header="x", comments="", fmt="%.17g")
    # a name in the list but not offered by this subcommand: says where it belongs
    argparse_error(run("mi", str(tmp_path / "x.csv"), "--method", "vasicek"),
                   "--method", "vasicek", "entropy", "plugin", "ksg")
    argparse_error(run("kl", str(tmp_path / "x.csv"), str(tmp_path / "x.csv"), "--method",
                       "bogus"), "--method", "knn")
    # the same spelling rules everywhere: van-es / van_es / "van es"
    want = scipy_stats.differential_entropy(x, method="van es") / math.log(2)
    for spelling in ("van-es", "van_es", "Van Es"):
        r = run("entropy", str(tmp_path / "x.csv"), "--samples", "--method", spelling)
        assert r.returncode == 0, r.stderr
        assert math.isclose(float(r.stdout), want, rel_tol=1e-12)


# --- --base, --nan-policy, --normalize ----------------------------------------------

@pytest.mark.parametrize("spelling, scipy_base", [("2", 2), ("bits", 2), ("e", math.e),
                                                  ("nats", math.e), ("10", 10), ("bans", 10),
                                                  ("3.5", 3.5)])
def test_base_names(tmp_path, spelling, scipy_base):
    p = np.array([0.1, 0.5, 0.1, 0.3])
    np.save(tmp_path / "p.npy", p)
    r = run("entropy", str(tmp_path / "p.npy"), "--base", spelling)
    assert r.returncode == 0, r.stderr
    assert math.isclose(float(r.stdout), scipy_stats.entropy(p, base=scipy_base), rel_tol=1e-13)


@pytest.mark.parametrize("bad", ["x", "1", "0", "-2", "inf", "bit"])
def test_base_rejects_with_a_clear_message(tmp_path, bad):
    np.save(tmp_path / "p.npy", np.array([0.5, 0.5]))
    line = argparse_error(run("entropy", str(tmp_path / "p.npy"), "--base", bad),
                          "--base", "2, e, 10, bits, nats or bans", repr(bad))
    assert "_base" not in line


def test_nan_policy_on_probability_files(tmp_path):
    f = tmp_path / "p.csv"
    f.write_text("p\n0.25\nnan\n0.75\n")
    r = run("entropy", str(f))
    assert r.returncode == 0 and math.isnan(float(r.stdout))
    line = one_line_error(run("entropy", str(f), "--nan-policy", "raise"),
                          "p.csv", "row 3, column 1", "NaN", "--nan-policy raise")
    no_python_calls(line)
    r = run("entropy", str(f), "--nan-policy", "omit")
    assert r.returncode == 0, r.stderr
    assert math.isclose(float(r.stdout), scipy_stats.entropy([0.25, 0.75], base=2), rel_tol=1e-13)
    argparse_error(run("entropy", str(f), "--nan-policy", "sometimes"), "--nan-policy",
                   "propagate", "omit", "raise")


def test_nan_policy_on_samples(tmp_path):
    f = tmp_path / "d.csv"
    f.write_text("a,b\n1,2\n1,2\n2,nan\n2,3\n1,3\n")
    r = run("mi", str(f), "--x", "a", "--y", "b", "--method", "plugin")
    assert r.returncode == 0 and math.isnan(float(r.stdout))
    r = run("mi", str(f), "--x", "a", "--y", "b", "--method", "plugin", "--nan-policy", "omit")
    assert r.returncode == 0, r.stderr
    want = sk_metrics.mutual_info_score([1, 1, 2, 1], [2, 2, 3, 3]) / math.log(2)
    assert math.isclose(float(r.stdout), want, rel_tol=1e-12, abs_tol=1e-15)
    one_line_error(run("mi", str(f), "--x", "a", "--y", "b", "--method", "plugin",
                       "--nan-policy", "raise"), "d.csv", "row 4", "column 'b'", "NaN")
    # without a header row the rows count from 1
    g = tmp_path / "nohead.csv"
    g.write_text("0.5\nnan\n0.25\n")
    one_line_error(run("entropy", str(g), "--no-header", "--samples", "--method", "knn",
                       "--nan-policy", "raise"), "nohead.csv", "row 2", "NaN")
    one_line_error(run("entropy", str(g), "--no-header", "--nan-policy", "raise"),
                   "nohead.csv", "row 2, column 1", "NaN")


def test_counts_need_normalize(tmp_path):
    np.save(tmp_path / "c.npy", np.array([3.0, 5.0, 2.0, 10.0]))
    line = one_line_error(run("entropy", str(tmp_path / "c.npy")), "c.npy", "3.0 at index 0",
                          "--normalize", "--samples")
    no_python_calls(line)
    r = run("entropy", str(tmp_path / "c.npy"), "--normalize")
    assert r.returncode == 0
    assert math.isclose(float(r.stdout), scipy_stats.entropy([3, 5, 2, 10], base=2), rel_tol=1e-13)
    # a sum warning is one line, in the command line's words
    np.save(tmp_path / "s.npy", np.array([0.1, 0.5, 0.3]))
    r = run("entropy", str(tmp_path / "s.npy"))
    assert r.returncode == 0
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("infobits: warning: ") and "--normalize" in lines[0]


# --- standard input -------------------------------------------------------------

def test_stdin_npy_and_csv():
    import io

    p = np.array([0.2, 0.3, 0.5])
    buf = io.BytesIO()
    np.save(buf, p)
    want = scipy_stats.entropy(p, base=2)
    r = run("entropy", "-", stdin=buf.getvalue(), text=False)
    assert r.returncode == 0, r.stderr
    assert math.isclose(float(r.stdout), want, rel_tol=1e-13)
    r = run("entropy", "-", "--json", stdin="p\n0.2\n0.3\n0.5\n")
    assert r.returncode == 0, r.stderr
    assert math.isclose(json.loads(r.stdout)["value"], want, rel_tol=1e-13)
    one_line_error(run("entropy", "-", stdin="p\n0.2\nx\n"), "<stdin>", "row 3", "non-numeric")
    one_line_error(run("entropy", "-", stdin=""), "<stdin>", "empty")


def test_stdin_as_one_of_two_files(tmp_path):
    np.save(tmp_path / "q.npy", np.full(4, 0.25))
    p = np.array([0.1, 0.5, 0.1, 0.3])
    r = run("kl", "-", str(tmp_path / "q.npy"), stdin="p\n" + "\n".join(map(str, p)) + "\n")
    assert r.returncode == 0, r.stderr
    assert math.isclose(float(r.stdout), scipy_stats.entropy(p, np.full(4, 0.25), base=2),
                        rel_tol=1e-12)
    r = run("kl", "-", "-", stdin="p\n1\n")
    assert r.returncode == 2 and "standard input" in r.stderr


# --- bad data: file, 1-based row and column, what is wrong; every reader -----------

@pytest.mark.parametrize("reader", list(READERS))
def test_bad_csv_messages(tmp_path, reader):
    block = READERS[reader]
    cases = [
        ("empty.csv", "", ("empty",)),
        ("blank.csv", "\n\n", ("empty",)),
        ("header.csv", "a,b\n", ("header row only", "no data")),
        ("cell.csv", "a,b\n0.1,0.2\n0.3,\n0.2,0.2\n", ("row 3, column 2 (b)", "empty cell")),
        ("text.csv", "a,b\n0.1,0.2\n0.3,0.1\n0.1,oops\n", ("row 4, column 2 (b)",
                                                           "non-numeric", "oops")),
        ("short.csv", "a,b\n0.1,0.2\n0.3\n0.2,0.2\n", ("row 3 has 1 field", "header has 2")),
        ("long.csv", "a,b\n0.1,0.2\n0.3,0.1,0.1\n", ("row 3 has 3 fields", "header has 2")),
        ("numeric.csv", "0.5,0.5\n0.25,0.75\n", ("row 1", "not column names", "--no-header")),
    ]
    for name, content, fragments in cases:
        (tmp_path / name).write_text(content)
        line = one_line_error(run("mi", str(tmp_path / name), block=block), name, *fragments)
        no_python_calls(line)
    # --x/--y read only their columns, still checking every row's length
    (tmp_path / "d.csv").write_text("a,b,c\n1,2,3\n4,5\n")
    one_line_error(run("mi", str(tmp_path / "d.csv"), "--x", "a", "--y", "b", block=block),
                   "row 3 has 2 fields")
    one_line_error(run("mi", str(tmp_path / "d.csv"), "--x", "a", "--y", "w", block=block),
                   "no column 'w' for --y", "a, b, c")


@pytest.mark.parametrize("reader", list(READERS))
def test_readers_agree_with_scipy_and_sklearn(tmp_path, reader):
    block = READERS[reader]
    rng = np.random.default_rng(7)
    n = 3000
    a = rng.integers(0, 5, n)
    b = (a + rng.integers(0, 2, n)) % 5
    colour = np.array(["red", "green", "blue"])[rng.integers(0, 3, n)]
    x = rng.standard_normal(n)
    lines = ["id,a,b,colour,x"] + [f'{i}, {a[i]},{b[i]},"{colour[i]}",{float(x[i])!r}'
                                   for i in range(n)]
    f = tmp_path / "data.csv"
    f.write_text("\n".join(lines) + "\n")
    r = run("mi", str(f), "--x", "a", "--y", "b", "--json", block=block)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["x"] == "a" and out["y"] == "b"
    assert math.isclose(out["value"], sk_metrics.mutual_info_score(a, b) / math.log(2),
                        rel_tol=1e-12)
    # text labels, by column index
    r = run("mi", str(f), "--x", "3", "--y", "a", "--base", "nats", block=block)
    assert r.returncode == 0, r.stderr
    assert math.isclose(float(r.stdout), sk_metrics.mutual_info_score(colour, a), rel_tol=1e-12)
    r = run("entropy", str(f), "--x", "colour", "--samples", block=block)
    _, counts = np.unique(colour, return_counts=True)
    assert math.isclose(float(r.stdout), scipy_stats.entropy(counts, base=2), rel_tol=1e-12)
    r = run("entropy", str(f), "--x", "x", "--method", "vasicek", block=block)
    assert r.returncode == 0, r.stderr
    want = scipy_stats.differential_entropy(x, method="vasicek") / math.log(2)
    assert math.isclose(float(r.stdout), want, rel_tol=1e-12)
    # a headerless file with --no-header: columns by index
    g = tmp_path / "nohead.csv"
    g.write_text("\n".join(f"{a[i]},{b[i]}" for i in range(n)) + "\n")
    r = run("mi", str(g), "--x", "0", "--y", "1", "--no-header", block=block)
    assert r.returncode == 0, r.stderr
    assert math.isclose(float(r.stdout), sk_metrics.mutual_info_score(a, b) / math.log(2),
                        rel_tol=1e-12)


# --- messages in the command line's words; missing optional dependencies -------------

def test_messages_name_options_not_python_calls(tmp_path):
    f = tmp_path / "d.csv"
    f.write_text("u,v\n0.5,1.5\n0.25,2.5\n0.125,1.5\n")
    line = one_line_error(run("mi", str(f), "--x", "u", "--y", "v"), "d.csv", "column u",
                          "--method plugin", "--method ksg")
    no_python_calls(line)
    line = one_line_error(run("entropy", str(f), "--samples"), "--method plugin",
                          "--method knn")
    no_python_calls(line)
    line = one_line_error(run("entropy", str(f), "--method", "knn"), "--method knn",
                          "--samples")
    one_line_error(run("mi", str(f), "--x", "u"), "--x", "--y")
    line = one_line_error(run("te", str(f), "--source", "u", "--target", "v", "--history", "0"),
                          "d.csv", "--history")
    no_python_calls(line)
    line = one_line_error(run("mi", str(f), "--x", "u", "--y", "v", "--method", "ksg"),
                          "d.csv", "--method ksg needs more samples")
    no_python_calls(line)


def test_missing_scipy_names_its_install_command(tmp_path):
    rng = np.random.default_rng(3)
    f = tmp_path / "d.csv"
    f.write_text("x,y\n" + "\n".join(f"{float(u)!r},{float(v)!r}" for u, v in rng.standard_normal((50, 2))))
    r = run("mi", str(f), "--x", "x", "--y", "y", "--method", "gcmi", block=("scipy",))
    line = one_line_error(r, "SciPy", "pip install scipy", status=1)
    assert "please report" not in line
    # the same command with SciPy present computes a number
    r = run("mi", str(f), "--x", "x", "--y", "y", "--method", "gcmi")
    assert r.returncode == 0 and math.isfinite(float(r.stdout))


# --- progress: on a terminal only --------------------------------------------------

def _spawn_with_tty_stderr(args, env):
    import pty

    master, slave = pty.openpty()
    try:
        p = subprocess.Popen([sys.executable, "-m", "infobits", *args], stdout=subprocess.PIPE,
                             stderr=slave, env=env)
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 4096)
            except OSError:        # EIO: the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        out = p.stdout.read()
        p.wait(timeout=300)
    finally:
        os.close(master)
    return p.returncode, out.decode(), b"".join(chunks).decode(errors="replace")


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_progress_only_on_a_terminal(tmp_path):
    rng = np.random.default_rng(5)
    f = tmp_path / "d.csv"
    f.write_text("x,y\n" + "\n".join(f"{float(u)!r},{float(v)!r}" for u, v in rng.standard_normal((4000, 2))))
    args = ["mi", str(f), "--x", "x", "--y", "y", "--method", "ksg"]
    env = {**ENV, "INFOBITS_PROGRESS_DELAY": "0"}
    rc, out, err = _spawn_with_tty_stderr(args, env)
    assert rc == 0 and math.isfinite(float(out))
    assert "\r" in err and ("reading" in err or "estimating" in err), err
    r = subprocess.run([sys.executable, "-m", "infobits", *args], capture_output=True,
                       text=True, env=env, timeout=300)
    assert r.returncode == 0 and r.stderr == "" and float(r.stdout) == float(out)


# --- the package: lazy subpackages, INFOBITS_SIMD --------------------------------------

def test_subpackages_are_lazy_attributes():
    code = ("import sys, infobits as ib\n"
            "assert 'infobits.estimate' not in sys.modules and 'dask' not in sys.modules\n"
            "assert 'estimate' in dir(ib) and 'dask' in dir(ib)\n"
            "assert 'estimate' not in ib.__all__ and 'dask' not in ib.__all__\n"
            "print(ib.estimate.entropy(['a', 'b', 'b', 'a']))\n"
            "assert 'dask' not in sys.modules\n"
            "try:\n    ib.no_such_thing\nexcept AttributeError as e:\n    print(e)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=ENV,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    value, msg = r.stdout.splitlines()
    assert float(value) == 1.0 and "no_such_thing" in msg
    pytest.importorskip("dask.array")
    code = "import infobits as ib, numpy as np; print(float(ib.dask.entropy(np.full(4, .25)).compute()))"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=ENV,
                       timeout=120)
    assert r.returncode == 0 and float(r.stdout) == 2.0, r.stderr


def test_unknown_simd_path_warns():
    code = "import infobits as ib; print(ib.simd_path())"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       env={**ENV, "INFOBITS_SIMD": "bogus"}, timeout=120)
    assert r.returncode == 0
    assert "RuntimeWarning" in r.stderr and "INFOBITS_SIMD='bogus'" in r.stderr
    for name in ("baseline", "x86-64-v3", "x86-64-v4"):
        assert name in r.stderr
    assert r.stdout.strip() in ("baseline", "x86-64-v3", "x86-64-v4")
    r = subprocess.run([sys.executable, "-W", "error::RuntimeWarning", "-c", code],
                       capture_output=True, text=True,
                       env={**ENV, "INFOBITS_SIMD": "baseline"}, timeout=120)
    assert r.returncode == 0 and r.stdout.strip() == "baseline" and r.stderr == ""


@pytest.mark.parametrize("reader", list(READERS))
def test_a_column_changing_type_past_the_first_block(tmp_path, reader):
    block = READERS[reader]
    # pyarrow infers a column's type from its first block (1 MB); a float, then
    # a text label, far down the file must still be read (by pandas' reader, or
    # the csv-module reader), not refused
    n = 400_000
    a = np.tile([1, 2, 3, 4], n // 4)
    body = "\n".join(f"{v},{v % 2}" for v in a)
    f = tmp_path / "late.csv"
    f.write_text("a,b\n" + body + "\n2.5,1\n")
    r = run("entropy", str(f), "--x", "a", "--samples", "--method", "plugin", block=block)
    assert r.returncode == 0, r.stderr
    counts = np.array([n // 4] * 4 + [1])
    assert math.isclose(float(r.stdout), scipy_stats.entropy(counts, base=2), rel_tol=1e-12)
    g = tmp_path / "late_text.csv"
    g.write_text("a,b\n" + body + "\nfive,1\n")
    r = run("entropy", str(g), "--x", "a", "--samples", block=block)
    assert r.returncode == 0, r.stderr
    assert math.isclose(float(r.stdout), scipy_stats.entropy(counts, base=2), rel_tol=1e-12)
    one_line_error(run("mi", str(g), block=block), "late_text.csv", f"row {n + 2}, column 1 (a)",
                   "non-numeric", "five")


def test_ross_with_swapped_columns_names_both(tmp_path):
    """``mi --method ross`` with the label column in --x and the float column
    in --y (swapped) is an error naming both columns and the fix, not a
    silent number; the right order gives scikit-learn's Ross estimate."""
    rng = np.random.default_rng(3)
    lab = rng.integers(0, 3, 200)
    flt = rng.standard_normal(200) + lab
    f = tmp_path / "swap.csv"
    f.write_text("lab,flt\n" + "".join(f"{a},{float(b)!r}\n" for a, b in zip(lab, flt)))
    one_line_error(run("mi", str(f), "--x", "lab", "--y", "flt", "--method", "ross"),
                   "--x column 'lab'", "--y column 'flt'", "swap --x and --y")
    # two float columns: --y has no repeated label
    g = tmp_path / "floats.csv"
    g.write_text("a,b\n" + "".join(f"{float(a)!r},{float(b)!r}\n" for a, b in zip(flt, flt * 2 + 1)))
    one_line_error(run("mi", str(g), "--x", "a", "--y", "b", "--method", "ross"),
                   "--y column 'b'", "--method ksg")
    r = run("mi", str(f), "--x", "flt", "--y", "lab", "--method", "ross", "--base", "nats")
    assert r.returncode == 0, r.stderr
    from sklearn.feature_selection import mutual_info_classif
    want = mutual_info_classif(flt[:, None], lab, n_neighbors=3, random_state=0)[0]
    # scikit-learn adds its own tie-breaking noise and clips at 0: compare loosely
    assert abs(float(r.stdout.split()[-1]) - want) < 0.02


def test_json_is_strict_for_nonfinite_values(tmp_path):
    """``--json`` writes strict JSON: NaN becomes null with "nonfinite": "nan"
    (a parser that rejects NaN/Infinity, as jq does, reads it)."""
    f = tmp_path / "p.npy"
    np.save(f, np.array([0.5, np.nan, 0.5]))

    def no_constants(name):
        raise ValueError(f"non-standard JSON constant {name}")

    r = run("entropy", str(f), "--json")
    assert r.returncode == 0, r.stderr
    obj = json.loads(r.stdout, parse_constant=no_constants)
    assert obj["value"] is None and obj["nonfinite"] == "nan"
    g = tmp_path / "q.npy"
    np.save(g, np.array([0.25, 0.75]))
    obj = json.loads(run("entropy", str(g), "--json").stdout, parse_constant=no_constants)
    want = float(scipy_stats.entropy([0.25, 0.75], base=2))
    assert abs(obj["value"] - want) < 1e-12 and "nonfinite" not in obj
