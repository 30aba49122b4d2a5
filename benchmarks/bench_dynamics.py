"""Information dynamics (transfer entropy, AIS, lagged MI) beside JIDT,
pyinform and ennemi: prints the table of the ``infobits bench`` rows.

Workloads (single thread unless noted; ratio = peer time / infobits time):
- KSG transfer entropy, n = 10^4, history = source_history = 1, k = 4, vs
  JIDT's TransferEntropyCalculatorKraskov, one thread (goal >= 5x) and both
  on 2 threads (goal >= 5x);
- KSG active information storage, n = 10^4, history = 2, vs JIDT (>= 5x);
- KSG transfer_entropy_matrix of 8 series x 10^4 vs a loop of 56 JIDT
  pairwise calls (>= 5x);
- discrete TE, 4 symbols, n = 10^5, vs JIDT's TransferEntropyCalculatorDiscrete
  (>= 5x) and pyinform;
- KSG lagged MI, lags 1-10, n = 10^4, vs ennemi (>= 10x).

JIDT rows appear when jpype1 and idtxl-uv (its infodynamics.jar) are
installed; the JIDT calls include the conversion of the NumPy arrays to
Java arrays, as a Python user pays it.

    python benchmarks/bench_dynamics.py [--quick] [--repeats N]
"""
import argparse
import sys

from infobits import bench


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true")
    p.add_argument("--repeats", type=int, default=None)
    a = p.parse_args(argv)
    rep = bench.run(quick=a.quick, repeats=a.repeats,
                    workload_list=bench._dynamics_workloads(a.quick))
    m = rep["machine"]
    print(f"CPU: {m.get('processor')}  SIMD path: {m.get('simd_path')}")
    print(bench.format_table(rep))
    return 0


if __name__ == "__main__":
    sys.exit(main())
