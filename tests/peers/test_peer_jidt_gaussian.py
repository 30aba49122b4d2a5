"""Gaussian estimators against JIDT's Gaussian calculators (nats).

JIDT (the Java Information Dynamics Toolkit) runs through jpype1; its jar
ships with idtxl-uv (``pip install jpype1`` and ``pip install --no-deps
idtxl-uv``; Java 17).  The module is skipped, not passed, when either is
missing: the CI peers step installs both.
"""
import os

import numpy as np
import pytest

from infobits.estimate import (
    conditional_mutual_information,
    differential_entropy,
    mutual_information,
)

jpype = pytest.importorskip("jpype")
idtxl = pytest.importorskip("idtxl")

_JAR = os.path.join(os.path.dirname(idtxl.__file__), "infodynamics.jar")


@pytest.fixture(scope="module")
def G():
    if not jpype.isJVMStarted():
        jpype.startJVM(classpath=[_JAR], convertStrings=True)
    return jpype.JPackage("infodynamics.measures.continuous.gaussian")


def _j2(a):
    a = np.asarray(a, dtype=float).reshape(len(a), -1)
    return jpype.JArray(jpype.JDouble, 2)(a.tolist())


def _data(seed, n, d):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, d)) @ rng.standard_normal((d, d)) + rng.normal(size=d) * 10


CASES = [(0, 50, 1, 1, 1), (1, 500, 2, 1, 2), (2, 3000, 3, 2, 1), (3, 10_000, 1, 3, 3)]


@pytest.mark.parametrize("seed,n,dx,dy,dz", CASES)
def test_entropy_mi_cmi_equal_jidt(G, seed, n, dx, dy, dz):
    X = _data(seed, n, dx + dy + dz)
    x, y, z = X[:, :dx], X[:, dx:dx + dy], X[:, dx + dy:]

    h = G.EntropyCalculatorMultiVariateGaussian()
    h.initialise(dx + dy)
    h.setObservations(_j2(X[:, :dx + dy]))
    ours = differential_entropy(X[:, :dx + dy], method="gaussian", base="nats")
    assert ours == pytest.approx(h.computeAverageLocalOfObservations(), rel=1e-12, abs=1e-12)

    m = G.MutualInfoCalculatorMultiVariateGaussian()
    m.initialise(dx, dy)
    m.setObservations(_j2(x), _j2(y))
    ours = mutual_information(x, y, method="gaussian", base="nats")
    assert ours == pytest.approx(m.computeAverageLocalOfObservations(), rel=1e-10, abs=1e-12)

    c = G.ConditionalMutualInfoCalculatorMultiVariateGaussian()
    c.initialise(dx, dy, dz)
    c.setObservations(_j2(x), _j2(y), _j2(z))
    ours = conditional_mutual_information(x, y, z, method="gaussian", base="nats")
    assert ours == pytest.approx(c.computeAverageLocalOfObservations(), rel=1e-10, abs=1e-12)
