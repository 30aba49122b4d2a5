"""Settings for the whole suite.

The engine caps each call's threads at the CPUs that are idle at the time
(an `OMP_DYNAMIC`-like guard for busy machines).  On a loaded test machine
that cap would silently run the "2 threads" and "3 threads" halves of the
bitwise comparisons on one thread, so the suite switches it off; the tests
of the cap itself (tests/reliability/test_threads.py) switch it on where
they need it and check the default in a fresh process.
"""
import pytest

from infobits import _config


@pytest.fixture(autouse=True, scope="session")
def _no_idle_cpu_cap():
    prev = _config._adaptive_threads()
    _config._set_adaptive_threads(False)
    yield
    _config._set_adaptive_threads(prev)
