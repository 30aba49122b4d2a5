"""JIDT (the Java Information Dynamics Toolkit) as a test peer.

The peers step of CI installs ``jpype1`` and ``idtxl-uv`` (``pip install
--no-deps idtxl-uv``), whose ``idtxl/infodynamics.jar`` is JIDT; Java 17 is
on the machines.  This module starts the JVM once per process with the jar
on the class path and calls JIDT's calculators with their noise and
normalisation switched off (``NOISE_LEVEL_TO_ADD=0``, ``NORMALISE=false``),
so that infobits with ``jitter=0, standardize=False`` sees the same data.

Helpers:

- :func:`jidt` -> the ``infodynamics`` Java package (starts the JVM);
- :func:`calculator` -> a calculator instance by class name with properties;
- :func:`array` -> a NumPy array as a Java ``double[][]`` (or ``double[]``);
- :func:`compute` -> (average, local values) of a calculator after
  ``initialise(*init)`` and ``setObservations(*observations)``;
- :func:`mi_kraskov`, :func:`cmi_kraskov` -> JIDT's KSG MI / conditional MI
  (algorithm 1 or 2, k, Theiler window), in nats.

Test modules in tests/peers import it as ``import _jidt`` (pytest puts
the directory on ``sys.path``); a test module that needs JIDT calls
``_jidt.require()`` at import, which skips it (with the reason) only when
jpype or the jar is missing, i.e. outside CI's peers step.
"""
from __future__ import annotations

import importlib.util
import os
from typing import Any

import numpy as np

_STATE: dict[str, Any] = {}


def jar_path() -> str | None:
    """The JIDT jar shipped by idtxl-uv, or None."""
    found = importlib.util.find_spec("idtxl")
    if found is None or not found.submodule_search_locations:
        return None
    for loc in found.submodule_search_locations:
        p = os.path.join(loc, "infodynamics.jar")
        if os.path.exists(p):
            return p
    return None


def require() -> None:
    """Skip the calling test module when JIDT cannot run here."""
    import pytest

    pytest.importorskip("jpype", reason="JIDT peer tests need jpype1 (CI's peers step installs it)")
    if jar_path() is None:
        pytest.skip("JIDT peer tests need idtxl-uv's infodynamics.jar (CI's peers step installs it)",
                    allow_module_level=True)


def jidt() -> Any:
    """The ``infodynamics`` Java package; starts the JVM on first use."""
    if "pkg" not in _STATE:
        import jpype

        if not jpype.isJVMStarted():
            jpype.startJVM(jpype.getDefaultJVMPath(), "-ea",
                           "-Djava.class.path=" + str(jar_path()), convertStrings=False)
        _STATE["jpype"] = jpype
        _STATE["pkg"] = jpype.JPackage("infodynamics")
    return _STATE["pkg"]


def array(a: Any) -> Any:
    """A float64 NumPy array as a Java double[][] (2-D) or double[] (1-D)."""
    jidt()
    jpype = _STATE["jpype"]
    a = np.ascontiguousarray(a, dtype=np.float64)
    if a.ndim == 1:
        return jpype.JArray(jpype.JDouble, 1)(a)
    return jpype.JArray(jpype.JDouble, 2)(a)


def calculator(cls: str, **props: Any) -> Any:
    """An instance of the calculator class ``cls`` (dotted name under
    ``infodynamics``, e.g. ``"measures.continuous.kraskov.
    MutualInfoCalculatorMultiVariateKraskov1"``) with JIDT's noise and
    normalisation off and the given properties (values passed as strings)."""
    obj = jidt()
    for part in cls.split("."):
        obj = getattr(obj, part)
    calc = obj()
    calc.setProperty("NOISE_LEVEL_TO_ADD", "0")
    calc.setProperty("NORMALISE", "false")
    for key, val in props.items():
        calc.setProperty(key, str(val).lower() if isinstance(val, bool) else str(val))
    return calc


def compute(calc: Any, init: tuple, observations: tuple) -> tuple[float, np.ndarray]:
    """(average, local values) of ``calc`` after ``initialise(*init)`` and
    ``setObservations`` on the arrays (converted with :func:`array`)."""
    calc.initialise(*init)
    calc.setObservations(*[array(o) for o in observations])
    avg = float(calc.computeAverageLocalOfObservations())
    loc = np.array(calc.computeLocalOfPreviousObservations(), dtype=np.float64)
    return avg, loc


def _2d(a: Any) -> np.ndarray:
    a = np.asarray(a, dtype=np.float64)
    return a[:, None] if a.ndim == 1 else a


def mi_kraskov(x: Any, y: Any, *, algorithm: int = 1, k: int = 4,
               theiler: int = 0) -> tuple[float, np.ndarray]:
    """JIDT's MutualInfoCalculatorMultiVariateKraskov{1,2}: (MI, locals), nats."""
    x, y = _2d(x), _2d(y)
    calc = calculator(f"measures.continuous.kraskov.MutualInfoCalculatorMultiVariateKraskov"
                      f"{algorithm}", k=k, DYN_CORR_EXCL=theiler)
    return compute(calc, (x.shape[1], y.shape[1]), (x, y))


def cmi_kraskov(x: Any, y: Any, z: Any, *, algorithm: int = 1, k: int = 4,
                theiler: int = 0) -> tuple[float, np.ndarray]:
    """JIDT's ConditionalMutualInfoCalculatorMultiVariateKraskov{1,2}:
    (CMI, locals), nats."""
    x, y, z = _2d(x), _2d(y), _2d(z)
    calc = calculator(f"measures.continuous.kraskov."
                      f"ConditionalMutualInfoCalculatorMultiVariateKraskov{algorithm}",
                      k=k, DYN_CORR_EXCL=theiler)
    return compute(calc, (x.shape[1], y.shape[1], z.shape[1]), (x, y, z))
