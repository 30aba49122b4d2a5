#!/usr/bin/env python3
"""Check that the hot loops of the compiled kernels still vectorise.

gcc's vectoriser is fragile (a second call in a loop, a select it turns
into a masked load, an inlined helper can each stop it), and a loop that
silently falls back to scalar code costs 2-8x.  This script compiles the
kernel files with the flags the extensions are built with (Python's own CFLAGS first, as
setuptools does, then build_config.py's CFLAGS and -fopenmp) plus
``-fopt-info-vec-optimized``, and asserts that every function listed in
HOT_LOOPS has loops reported as "loop vectorized using 32 (or 64) byte
vectors" at least twice: once in its x86-64-v3 (AVX2) copy and once in its
x86-64-v4 (AVX-512) copy.

Usage:  python tools/ci/check_vectorized.py [-v]      (exit status 1 on failure)

Requires gcc on x86-64.  When a hot loop is renamed or moved, update
HOT_LOOPS; when a new kernel is added, add its hot loops here.
"""
from __future__ import annotations

import concurrent.futures
import functools
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CSRC = os.path.join(ROOT, "csrc")

# translation unit -> {header or .c file: [functions with a hot loop]}
HOT_LOOPS = {
    "ib_numerics.c": {
        "ib_numerics_path.h": [
            "nx_lmax", "nx_lse_blk", "nx_lse_blk_b",
            "nx_mul", "nx_mul_inplace", "nx_logsub",
            "nx_expnegabs", "nx_log1p_blk", "nx_bce_prob_blk",
            "nx_bce_logit_blk",
        ],
        "ib_numerics_typed.h": [
            "nx_lmaxf", "nx_expf_blk", "nx_sumf_blk", "nx_sumf_plain", "nx_scalef_blk",
            "nx_logsubf",
            "nx_lsef_blk_below",
        ],
    },
    "ib_reduce.c": {
        "ib_reduce_path.h": [
            "ib_scan_ok", "ib_scan_abs_ok", "ib_block_kl_signed", "ib_terms_kl_signed",
            "ib_kl_signed_any", "ib_terms_entr_checked",
            "ib_block_fast", "ib_terms_full", "ib_terms_fast",
            "ib_outer_acc", "ib_outer_total", "ib_margins_acc", "ib_vlog",
            "ib_scan_ok_f32", "ib_entr32_fast", "ib_entr32_full", "ib_entr32_fast_sum",
            "ib_vexp_f32",
        ],
    },
    "ib_dynamics.c": {
        "ib_dynamics_path.h": ["ib_dyn_part"],
    },
    "ib_ufuncs.c": {
        "ib_ufuncs_path.h": [
            "ib_uf_si_fast_ok", "ib_uf_si_nats", "ib_uf_si_bits",
            "ib_uf_pmi_fast_ok", "ib_uf_pmi_fast", "ib_uf_pmi_full",
        ],
    },
    "ib_losses.c": {
        "ib_losses_path.h": [
            "ib_l_rowmax", "ib_l_expblk", "ib_l_expblk_s", "ib_l_accs",
            "ib_ce_probs_label_chunk",
        ],
    },
}


# Hot loops whose x86-64-v4 copy is explicit vector code (GCC vector
# extensions, e.g. in-register table permutes): only the x86-64-v3 copy is
# gcc's vectorisation, so one wide report is wanted.
HOT_LOOPS_V3 = {
    "ib_numerics.c": {"ib_numerics_vexp.h": ["IB_VEXP16_NAME"]},
    "ib_losses.c": {"ib_numerics_vexp.h": ["IB_VEXP16_NAME"]},
}


def setup_cflags():
    """The extensions' release CFLAGS (build_config.py, as setup.py uses them)."""
    sys.path.insert(0, ROOT)
    import build_config

    return build_config.kernel_cflags() + ["-fopenmp"]


def compile_flags():
    py = (sysconfig.get_config_var("CFLAGS") or "").split()
    py += (sysconfig.get_config_var("CCSHARED") or "").split()
    return py + setup_cflags() + ["-I" + CSRC]


def function_ranges(path, names):
    """{name: (first line, last line)} of each function definition in path.

    A definition is the name followed by "(" (directly, or inside IB_FN()
    or IB_FN(IB_TNAME())) on a line that does not end in ";", its body the
    brace-balanced block that follows.  (Several definitions of one name,
    e.g. under #if, are merged into one range list.)"""
    lines = open(path).read().split("\n")
    out = {}
    for name in names:
        pat = re.compile(rf"(?:\bIB_FN\((?:IB_TNAME\({name}\)|{name})\)|\b{name})\s*\(")
        ranges = []
        for i, line in enumerate(lines):
            if not pat.search(line) or line.lstrip().startswith(("/*", "*")):
                continue
            # definition: next "{" comes before any ";"
            depth, start, j = 0, None, i
            seen_open = False
            while j < len(lines):
                seg = lines[j] if j > i else line[pat.search(line).end():]
                stop = False
                for ch in seg:
                    if ch == ";" and not seen_open:
                        stop = True
                        break
                    if ch == "{":
                        depth += 1
                        seen_open = True
                        start = i
                    elif ch == "}":
                        depth -= 1
                        if seen_open and depth == 0:
                            stop = True
                            break
                if stop:
                    break
                j += 1
            if seen_open and depth == 0:
                ranges.append((start + 1, j + 1))
        out[name] = ranges
    return out


@functools.cache
def vectorized_lines(tu):
    """{file name: [(line, vector bytes)]} of gcc's "loop vectorized"
    reports for translation unit tu (compiled once per process)."""
    gcc = shutil.which("gcc")
    if gcc is None:
        raise SystemExit("gcc not found")
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [gcc] + compile_flags() + ["-fopt-info-vec-optimized", "-c",
                                         os.path.join(CSRC, tu), "-o",
                                         os.path.join(tmp, tu + ".o")]
        r = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if r.returncode != 0:
        raise SystemExit(f"compiling {tu} failed:\n{r.stderr}")
    hits = {}
    for m in re.finditer(r"^(?:.*/)?([\w.]+):(\d+):\d+: optimized: "
                         r"loop vectorized using (\d+) byte vectors",
                         r.stderr, re.M):
        hits.setdefault(m.group(1), []).append((int(m.group(2)), int(m.group(3))))
    return hits


def check(verbose=False, hot_loops=None, want=2):
    """List of failures (empty: every listed hot loop vectorises)."""
    failures = []
    if hot_loops is None:
        failures += check(verbose, HOT_LOOPS_V3, want=1)
    loops = hot_loops or HOT_LOOPS
    with concurrent.futures.ThreadPoolExecutor() as pool:   # compile at once
        list(pool.map(vectorized_lines, loops))
    for tu, files in loops.items():
        hits = vectorized_lines(tu)
        for fname, funcs in files.items():
            ranges = function_ranges(os.path.join(CSRC, fname), funcs)
            for fn in funcs:
                if not ranges[fn]:
                    failures.append(f"{fname}:{fn}: definition not found")
                    continue
                inside = [(ln, size) for ln, size in hits.get(fname, [])
                          if any(a <= ln <= b for a, b in ranges[fn])]
                wide = [ln for ln, size in inside if size >= 32]
                if verbose:
                    print(f"{fname}:{fn}: vectorized loops (line, bytes) "
                          f"{sorted(set(inside))}")
                # the function is compiled once per path: baseline (16-byte
                # SSE2 vectors), v3 (32) and v4 (32 or 64); a hot loop must
                # be reported wide at least twice, once per wide path
                if len(wide) < want:
                    failures.append(f"{fname}:{fn}: {len(wide)} loop(s) vectorized with "
                                    ">= 32-byte vectors; want one on each of the "
                                    + ("x86-64-v3 and x86-64-v4 paths" if want == 2
                                       else "x86-64-v3 path"))
    return failures


def main(argv):
    import platform
    if platform.machine().lower() not in ("x86_64", "amd64"):
        print("not x86-64: nothing to check")
        return 0
    failures = check(verbose="-v" in argv)
    if failures:
        print("hot loops that no longer vectorise:")
        for f in failures:
            print("  " + f)
        return 1
    print(f"all {sum(len(v) for f in HOT_LOOPS.values() for v in f.values())} "
          "hot loops vectorise on the x86-64-v3 and x86-64-v4 paths (and "
          f"{sum(len(v) for f in HOT_LOOPS_V3.values() for v in f.values())} "
          "with explicit x86-64-v4 vector code on the x86-64-v3 path)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
