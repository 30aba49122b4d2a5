"""One SIMD-dispatch state per process, shared by every compiled module."""
import subprocess
import sys

import numpy as np
import pytest

import infobits as ib
from infobits import _config, _core, _losses, _numerics

MODULES = [_core, _numerics, _losses]


def test_modules_share_one_state():
    levels = _core._simd_levels()
    old = ib.simd_path()
    try:
        for lv in levels:
            # set through one module only: every module reports it
            for setter in MODULES:
                setter._set_simd_level(lv)
                assert [m._get_simd_level() for m in MODULES] == [lv] * 3
                assert ib.simd_path() == lv
    finally:
        _config._set_simd_path(old)


def test_other_modules_bind_to_cores_capsule():
    cap = _core._dispatch_state
    assert type(cap).__name__ == "PyCapsule"
    assert "infobits._core._dispatch_state" in repr(cap)
    # the binding modules do not export a state of their own
    assert not hasattr(_numerics, "_dispatch_state")
    assert not hasattr(_losses, "_dispatch_state")


def test_baseline_env_reaches_every_module():
    code = ("import infobits as ib; from infobits import _core, _numerics, _losses; "
            "print(ib.simd_path(), _core._get_simd_level(), _numerics._get_simd_level(), "
            "_losses._get_simd_level())")
    env = dict(__import__("os").environ, INFOBITS_SIMD="baseline")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       env=env, check=True)
    assert r.stdout.split() == ["baseline"] * 4


def test_switch_through_core_changes_numerics_kernels():
    # a result computed on the path chosen through _core alone equals the
    # one computed after switching every module explicitly (same bits on
    # both paths, so this checks that nothing breaks when switching)
    levels = _core._simd_levels()
    if len(levels) < 2:
        pytest.skip("only one SIMD path on this CPU (this skip checks nothing)")
    x = np.random.default_rng(0).standard_normal((50, 300))
    old = ib.simd_path()
    try:
        out = []
        for lv in levels:
            _core._set_simd_level(lv)
            assert _numerics._get_simd_level() == lv
            out.append((ib.softmax(x), ib.logsumexp(x, axis=1),
                        ib.cross_entropy(x, np.arange(50) % 300, from_logits=True)))
    finally:
        _config._set_simd_path(old)
    for other in out[1:]:
        for a, b in zip(out[0], other):
            np.testing.assert_array_equal(a, b)


def test_threadpoolctl_before_3_3_is_not_given_the_controller(monkeypatch):
    """threadpoolctl < 3.3 ignores a controller's check_symbols and would bind
    infobits' controller to any "_core*.so" (SciPy's among them), whose
    missing infobits_get_num_threads then breaks threadpool_info(): the
    controller is registered only from 3.3 on."""
    threadpoolctl = pytest.importorskip("threadpoolctl")
    from infobits import _config
    monkeypatch.setattr(threadpoolctl, "_infobits", False, raising=False)
    monkeypatch.setattr(threadpoolctl, "__version__", "3.2.0")
    calls = []
    monkeypatch.setattr(threadpoolctl, "register", lambda c: calls.append(c))
    assert _config._register_threadpoolctl() is False and calls == []
    monkeypatch.setattr(threadpoolctl, "__version__", "3.3.0")
    assert _config._register_threadpoolctl() is True and len(calls) == 1
