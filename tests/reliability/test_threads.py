"""Reliability battery, part 7: threads.

* Eight Python threads call every kernel family on the same (shared,
  read-only) inputs many times at once; every result is bitwise identical to
  the single-threaded result (the kernels release the GIL, so the calls
  really overlap, and all but one of them find the worker pool busy).
* Every kernel family gives bitwise identical results with 1, 2 and 3
  threads, on inputs above the parallel threshold (64K elements), and on
  repeated calls (the units are handed out dynamically, so which thread runs
  which unit changes from call to call), with the first bad position
  reported whatever the thread count.
* The thread setting is one per process: a ThreadPoolExecutor's threads and
  a Dask worker's threads see the main thread's ``set_num_threads`` (and
  the reverse), so does threadpoolctl's ``threadpool_limits``, and a kernel
  called from such a thread starts as many workers as the setting says.
* The default is the CPUs the process may use (affinity, cgroup quota) or
  ``OMP_NUM_THREADS``; a call uses no more threads than idle CPUs (unless
  that is switched off, as the tests that need several threads do); a
  forked child runs threaded kernels.
"""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

import infobits as ib
import infobits.estimate as est

rng = np.random.default_rng(7)
N = 300_000                                   # above the 64K parallel threshold
P = rng.random(N)
Q = rng.random(N)
X2 = rng.normal(size=(3000, 100))
LAB = rng.integers(0, 100, 3000)
PXY = rng.random((600, 500))
P32 = P.astype(np.float32)
X32 = X2.astype(np.float32)
S = rng.normal(size=2000)
T = 0.5 * S + rng.normal(size=2000)
LAB_BIG = rng.integers(-3, 300, N)            # ib_factorize_int over row blocks
LAB_BIG2 = (LAB_BIG * 7 + rng.integers(0, 5, N)) % 50
LAB_COLS = rng.integers(0, 9, (20_000, 12))
for a in (P, Q, X2, LAB, PXY, P32, X32, S, T, LAB_BIG, LAB_BIG2, LAB_COLS):
    a.flags.writeable = False

CALLS = {
    "entropy": lambda: ib.entropy(P),
    "entropy_f32": lambda: ib.entropy(P32),
    "entropy_axis": lambda: ib.entropy(X2 ** 2, axis=1),
    "kl": lambda: ib.kl_divergence(P, Q),
    "js": lambda: ib.jensen_shannon_divergence(P, Q),
    "mi": lambda: ib.mutual_information(PXY),
    "cond_entropy": lambda: ib.conditional_entropy(PXY),
    "logsumexp": lambda: ib.logsumexp(X2),
    "logsumexp_axis": lambda: ib.logsumexp(X2, axis=1),
    "softmax": lambda: ib.softmax(X2),
    "log_softmax_f32": lambda: ib.log_softmax(X32),
    "log1pexp": lambda: ib.log1pexp(X2),
    "ce_logits_grad": lambda: ib.cross_entropy(X2, LAB, from_logits=True, return_grad=True),
    "ce_logits_f32": lambda: ib.cross_entropy(X32, LAB, from_logits=True, reduction="none"),
    "focal": lambda: ib.focal_loss(X2, LAB, return_grad=True),
    "bce_logits": lambda: ib.binary_cross_entropy(X2, X2 > 0, from_logits=True, return_grad=True),
    "ksg": lambda: est.mutual_information(S, T, method="ksg"),
    "diff_entropy": lambda: est.differential_entropy(S),
    "mi_margins": lambda: ib.mutual_information(PXY, PXY.sum(1, keepdims=True),
                                                PXY.sum(0, keepdims=True)),
    "entropy_axis0": lambda: ib.entropy(PXY, axis=0),
    "est_mi_labels": lambda: est.mutual_information(LAB_BIG, LAB_BIG2),
    "est_entropy_labels": lambda: est.entropy(LAB_BIG, method="grassberger"),
    "est_mi_matrix": lambda: est.mutual_information_matrix(LAB_COLS),
}


def _bits(r):
    if isinstance(r, tuple):
        return b"".join(_bits(t) for t in r)
    return np.ascontiguousarray(np.asarray(r)).tobytes()


def test_eight_python_threads_bitwise(restore_threads):
    want = {k: _bits(f()) for k, f in CALLS.items()}
    errors, mismatches = [], []
    barrier = threading.Barrier(8)

    def work(tid):
        try:
            barrier.wait()
            names = list(CALLS)
            for rep in range(4):
                for i in range(len(names)):
                    k = names[(i + tid + rep) % len(names)]
                    if _bits(CALLS[k]()) != want[k]:
                        mismatches.append((tid, k))
        except Exception as e:                 # pragma: no cover - reported below
            errors.append(repr(e))

    threads = [threading.Thread(target=work, args=(t,)) for t in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert not mismatches, mismatches


@pytest.fixture
def restore_threads():
    # Several threads whatever the machine's load: without this, a loaded
    # machine caps each call at its idle CPUs (often 1).
    from infobits import _config
    prev, adapt = ib.get_num_threads(), _config._adaptive_threads()
    _config._set_adaptive_threads(False)
    yield
    ib.set_num_threads(prev)
    _config._set_adaptive_threads(adapt)


@pytest.mark.parametrize("name", list(CALLS))
def test_one_two_three_threads_bitwise(name, restore_threads):
    from infobits import _core
    if not _core._openmp_enabled():
        pytest.skip("built without threads")
    ib.set_num_threads(1)
    one = _bits(CALLS[name]())
    for nt in (2, 3):
        ib.set_num_threads(nt)
        assert ib.get_num_threads() == nt
        for _ in range(3):                     # a different handout each call
            assert _bits(CALLS[name]()) == one, nt


@pytest.mark.parametrize("nt", [1, 2, 3])
def test_first_bad_position_any_thread_count(nt, restore_threads):
    ib.set_num_threads(nt)
    x = np.zeros((200_000, 3))
    y = np.zeros(200_000, dtype=np.int64)
    y[[150_000, 70_001, 199_999]] = [9, 5, -1]  # the first is at 70001
    with pytest.raises(IndexError, match="position 70001"):
        ib.cross_entropy(x, y, from_logits=True)
    labels = np.zeros((50_000, 6), dtype=np.int64)
    assert est.mutual_information_matrix(labels).shape == (6, 6)


def test_setting_seen_from_other_python_threads(restore_threads):
    ib.set_num_threads(1)
    with ThreadPoolExecutor(3) as ex:
        assert list(ex.map(lambda _: ib.get_num_threads(), range(6))) == [1] * 6
        ib.set_num_threads(3)
        assert list(ex.map(lambda _: ib.get_num_threads(), range(6))) == [3] * 6
        ex.submit(ib.set_num_threads, 2).result()     # set in a worker thread
    assert ib.get_num_threads() == 2
    seen = []
    t = threading.Thread(target=lambda: seen.append(ib.get_num_threads()))
    t.start()
    t.join()
    assert seen == [2]


def test_threadpoolctl_limits_the_process_wide_setting(restore_threads):
    threadpoolctl = pytest.importorskip("threadpoolctl")
    ib.set_num_threads(3)
    ours = [d for d in threadpoolctl.threadpool_info() if d["internal_api"] == "infobits"]
    assert len(ours) == 1, ours
    assert ours[0]["user_api"] == "openmp" and ours[0]["num_threads"] == 3
    assert ours[0]["version"] == ib.__version__
    with ThreadPoolExecutor(2) as ex:
        with threadpoolctl.threadpool_limits(1):
            assert ib.get_num_threads() == 1
            assert list(ex.map(lambda _: ib.get_num_threads(), range(4))) == [1] * 4
            assert _bits(CALLS["entropy"]()) == _bits(CALLS["entropy"]())
        assert ib.get_num_threads() == 3
        with threadpoolctl.threadpool_limits(limits=2, user_api="openmp"):
            assert ex.submit(ib.get_num_threads).result() == 2
        with threadpoolctl.threadpool_limits(limits=1, user_api="blas"):
            assert ib.get_num_threads() == 3            # not a BLAS
    assert ib.get_num_threads() == 3


def _run(code, env=None, timeout=300):
    full = dict(os.environ, **(env or {}))
    full["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    r = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=full,
                       capture_output=True, text=True, timeout=timeout)
    assert r.returncode == 0, r.stderr[-3000:]
    return r.stdout.strip()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="counts threads in /proc")
def test_kernel_in_a_pool_thread_uses_the_main_threads_setting():
    # A kernel called from a ThreadPoolExecutor thread starts as many worker
    # threads as the main thread's setting says (none for 1, two for 3).
    out = _run("""
        import os
        from concurrent.futures import ThreadPoolExecutor
        import numpy as np
        import infobits as ib
        from infobits import _core, _config
        _config._set_adaptive_threads(False)     # whatever the machine's load
        p = np.full(1_000_000, 1e-6)
        tasks = lambda: len(os.listdir("/proc/self/task"))
        with ThreadPoolExecutor(1) as ex:
            ex.submit(lambda: None).result()
            base = tasks()
            ib.set_num_threads(1)
            h1 = ex.submit(ib.entropy, p).result()
            n1 = tasks()
            ib.set_num_threads(3)
            h3 = ex.submit(ib.entropy, p).result()
            n3 = tasks()
        print(_core._openmp_enabled(), n1 - base, n3 - base, h1 == h3)
    """, env={"OMP_NUM_THREADS": "2"})
    if out.startswith("False"):
        pytest.skip("built without threads")
    assert out == "True 0 2 True"


def test_default_is_the_cpus_the_process_may_use():
    if not hasattr(os, "sched_setaffinity"):
        pytest.skip("no CPU affinity on this platform")
    cpu = min(os.sched_getaffinity(0))
    env = {k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"}
    code = f"""
        import os
        os.sched_setaffinity(0, {{{cpu}}})
        import infobits as ib
        from infobits import _config
        print(ib.get_num_threads(), _config._available_cpus())
    """
    full = dict(env, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    r = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=full,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    assert r.stdout.split() == ["1", "1"]
    assert _run("import infobits as ib; print(ib.get_num_threads())",
                env={"OMP_NUM_THREADS": "3,2"}) == "3"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_no_more_threads_than_idle_cpus():
    # With a spinning process per online CPU, no CPU is idle: a call on 3
    # threads starts no worker (adapting, the default) and the result keeps
    # its bits; with adapting off it starts two.
    code = """
        import os
        from infobits import _core, _config
        import infobits as ib
        import numpy as np
        p = np.random.default_rng(2).random(2_000_000)
        tasks = lambda: len(os.listdir("/proc/self/task"))
        base = tasks()
        ib.set_num_threads(3)
        h = [ib.entropy(p) for _ in range(5)]
        n_adapt = tasks() - base
        _config._set_adaptive_threads(False)
        h.append(ib.entropy(p))
        print(_core._openmp_enabled(), _config._adaptive_threads(), n_adapt,
              tasks() - base, len(set(h)))
    """
    spin = [subprocess.Popen([sys.executable, "-c", "while True: pass"])
            for _ in range(os.cpu_count() or 1)]
    try:
        out = _run(code)
    finally:
        for s in spin:
            s.terminate()
            s.wait()
    if out.startswith("False"):
        pytest.skip("built without threads")
    assert out == "True False 0 2 1"
    assert _run("from infobits import _config; print(_config._adaptive_threads())",
                env={"INFOBITS_ADAPTIVE_THREADS": "0"}) == "False"
    assert _run("from infobits import _config; print(_config._adaptive_threads())") == "True"


def test_default_follows_omp_num_threads(monkeypatch):
    from infobits import _config
    monkeypatch.setenv("OMP_NUM_THREADS", "5")
    assert _config._default_num_threads() == 5
    monkeypatch.setenv("OMP_NUM_THREADS", "junk")
    assert _config._default_num_threads() == _config._available_cpus()
    monkeypatch.delenv("OMP_NUM_THREADS")
    assert _config._default_num_threads() == _config._available_cpus()


@pytest.mark.parametrize("files, want", [
    ({"cpu.max": "200000 100000\n"}, 2),
    ({"cpu.max": "150000 100000\n"}, 2),          # 1.5 CPUs: 2 threads
    ({"cpu.max": "50000 100000\n"}, 1),
    ({"cpu.max": "max 100000\n"}, None),
    ({}, None),
])
def test_cgroup_v2_quota(tmp_path, files, want):
    from infobits import _config
    proc = tmp_path / "cgroup"
    proc.write_text("0::/user.slice/job\n")
    d = tmp_path / "fs" / "user.slice" / "job"
    d.mkdir(parents=True)
    for name, text in files.items():
        (d / name).write_text(text)
    assert _config._cgroup_cpu_limit(str(proc), str(tmp_path / "fs")) == want


def test_cgroup_quota_of_an_ancestor_and_v1(tmp_path):
    from infobits import _config
    proc = tmp_path / "cgroup"
    proc.write_text("0::/a/b\n")
    (tmp_path / "fs" / "a" / "b").mkdir(parents=True)
    (tmp_path / "fs" / "a" / "b" / "cpu.max").write_text("max 100000\n")
    (tmp_path / "fs" / "a" / "cpu.max").write_text("300000 100000\n")
    assert _config._cgroup_cpu_limit(str(proc), str(tmp_path / "fs")) == 3
    proc.write_text("4:cpu,cpuacct:/docker/x\n2:memory:/docker/x\n")
    d = tmp_path / "fs" / "cpu,cpuacct" / "docker" / "x"
    d.mkdir(parents=True)
    (d / "cpu.cfs_quota_us").write_text("100000\n")
    (d / "cpu.cfs_period_us").write_text("100000\n")
    assert _config._cgroup_cpu_limit(str(proc), str(tmp_path / "fs")) == 1
    (d / "cpu.cfs_quota_us").write_text("-1\n")
    assert _config._cgroup_cpu_limit(str(proc), str(tmp_path / "fs")) is None
    assert _config._cgroup_cpu_limit(str(tmp_path / "missing")) is None


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork")
def test_forked_child_runs_threaded_kernels():
    out = _run("""
        import os, multiprocessing as mp
        import numpy as np
        import infobits as ib
        from infobits import _config
        _config._set_adaptive_threads(False)
        ib.set_num_threads(2)
        p = np.random.default_rng(1).random(1_000_000)
        want = ib.entropy(p)                       # the parent's workers run
        with mp.get_context("fork").Pool(1) as pool:
            got = pool.apply_async(ib.entropy, (p,)).get(timeout=120)
        print(got == want, ib.entropy(p) == want)
    """)
    assert out == "True True"


def test_dask_workers_see_client_run_setting():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=1, processes=True, threads_per_worker=2,
                                       dashboard_address=":0", silence_logs=40)
    client = distributed.Client(cluster)
    try:
        # a nanny's worker gets OMP_NUM_THREADS=1 (distributed's
        # pre-spawn-environ), which the default follows
        assert client.gather(client.submit(ib.get_num_threads, pure=False)) == 1
        for n in (2, 1):
            client.run(ib.set_num_threads, n)
            futs = [client.submit(ib.get_num_threads, pure=False) for _ in range(4)]
            assert client.gather(futs) == [n] * 4
    finally:
        client.close()
        cluster.close()
