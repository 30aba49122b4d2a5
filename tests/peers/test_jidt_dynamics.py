"""Transfer entropy, active information storage and lagged MI against JIDT
(the Java Information Dynamics Toolkit, through jpype), pyinform and ennemi.

JIDT runs in a JVM started once per session (the jar ships with idtxl-uv:
``pip install jpype1`` and ``pip install --no-deps idtxl-uv``; Java 17).
Continuous estimators are compared with JIDT's noise off
(``NOISE_LEVEL_TO_ADD=0``) and its normalisation off (``NORMALISE=false``),
infobits with ``jitter=0`` and ``standardize=False``.
"""
import _jidt
import numpy as np
import pytest

import infobits.estimate as est

_jidt.require()
import jpype  # noqa: E402 - after the skip when jpype is missing


@pytest.fixture(scope="module")
def jidt():
    _jidt.jidt()                     # the JVM, started once (tests/peers/_jidt.py)
    return jpype


def _ji(a):
    return jpype.JArray(jpype.JInt)(np.asarray(a, dtype=np.int32))


def _jd(a):
    return _jidt.array(a)


EMBEDDINGS = [(1, 1, 1, 1, 1), (2, 1, 1, 1, 1), (3, 2, 2, 3, 2), (1, 1, 3, 1, 0),
              (2, 3, 1, 1, 5), (4, 1, 2, 1, 1)]


def _labels(n, seed, K):
    rng = np.random.default_rng(seed)
    x = rng.integers(0, K, n)
    y = (np.roll(x, 2) + rng.integers(0, 2, n)) % K
    return x, y


# --------------------------------------------------------------------------
# discrete: JIDT's TransferEntropyCalculatorDiscrete / ActiveInformation...
# --------------------------------------------------------------------------

@pytest.mark.parametrize("emb", EMBEDDINGS)
def test_discrete_te_jidt(jidt, emb):
    k, kt, l, lt, u = emb
    x, y = _labels(4000, sum(emb), 3)
    TE = jidt.JClass("infodynamics.measures.discrete.TransferEntropyCalculatorDiscrete")
    c = TE(3, k, kt, l, lt, u)
    c.initialise()
    c.addObservations(_ji(x), _ji(y))
    ref = float(c.computeAverageLocalOfObservations())   # bits
    ref_loc = np.array(c.computeLocalFromPreviousObservations(_ji(x), _ji(y)))
    kw = dict(history=k, tau=kt, source_history=l, source_tau=lt, delay=u, method="plugin")
    assert est.transfer_entropy(x, y, **kw) == pytest.approx(ref, rel=1e-12, abs=1e-14)
    loc = est.transfer_entropy(x, y, local=True, **kw)
    T = max((k - 1) * kt, (l - 1) * lt + u - 1)
    np.testing.assert_allclose(loc, ref_loc[T + 1:], rtol=1e-12, atol=1e-13)
    assert not ref_loc[:T + 1].any()          # JIDT pads the start with zeros


def test_discrete_conditional_te_jidt(jidt):
    rng = np.random.default_rng(11)
    n = 5000
    z = rng.integers(0, 2, n)
    x = (np.roll(z, 1) + rng.integers(0, 2, n)) % 2
    y = (np.roll(z, 1) + np.roll(x, 1) + rng.integers(0, 2, n)) % 2
    CTE = jidt.JClass("infodynamics.measures.discrete.ConditionalTransferEntropyCalculatorDiscrete")
    c = CTE(2, 2, 1)                 # base, k, one conditional variable (history 1, delay 1)
    c.initialise()
    c.addObservations(_ji(x), _ji(y), jpype.JArray(jpype.JInt, 2)(z[:, None].astype(int).tolist()))
    ref = float(c.computeAverageLocalOfObservations())
    assert est.transfer_entropy(x, y, condition=z, history=2, method="plugin") == \
        pytest.approx(ref, rel=1e-12, abs=1e-14)


@pytest.mark.parametrize("k", [1, 2, 4])
def test_discrete_ais_jidt(jidt, k):
    rng = np.random.default_rng(k)
    x = np.cumsum(rng.integers(0, 2, 5000)) % 4
    AIS = jidt.JClass("infodynamics.measures.discrete.ActiveInformationCalculatorDiscrete")
    c = AIS(4, k)
    c.initialise()
    c.addObservations(_ji(x))
    ref = float(c.computeAverageLocalOfObservations())
    assert est.active_information_storage(x, history=k, method="plugin") == \
        pytest.approx(ref, rel=1e-12)


# --------------------------------------------------------------------------
# pyinform (discrete TE and AIS, target history k, source history 1)
# --------------------------------------------------------------------------

@pytest.mark.parametrize("k", [1, 2, 3])
def test_discrete_te_pyinform(k):
    pyinform = pytest.importorskip("pyinform")
    x, y = _labels(5000, 20 + k, 4)
    assert est.transfer_entropy(x, y, history=k, method="plugin") == pytest.approx(
        pyinform.transfer_entropy(x, y, k=k), rel=1e-10, abs=1e-12)
    np.testing.assert_allclose(
        est.transfer_entropy(x, y, history=k, method="plugin", local=True),
        pyinform.transfer_entropy(x, y, k=k, local=True)[0], rtol=1e-10, atol=1e-12)
    assert est.active_information_storage(y, history=k, method="plugin") == pytest.approx(
        pyinform.active_info(y, k=k), rel=1e-10, abs=1e-12)


# --------------------------------------------------------------------------
# Gaussian: JIDT's TransferEntropyCalculatorGaussian and friends (nats)
# --------------------------------------------------------------------------

def _ar(n, m, seed, c=0.5):
    """m coupled AR(1) series: column j driven by column j - 1."""
    rng = np.random.default_rng(seed)
    e = rng.standard_normal((n, m))
    x = np.zeros((n, m))
    for t in range(1, n):
        x[t] = 0.4 * x[t - 1] + e[t]
        x[t, 1:] += c * x[t - 1, :-1]
    return x


def _G(jp, name):
    return jp.JClass("infodynamics.measures.continuous.gaussian." + name)()


@pytest.mark.parametrize("emb", EMBEDDINGS)
def test_gaussian_te_jidt(jidt, emb):
    k, kt, l, lt, u = emb
    X = _ar(3000, 2, sum(emb))
    x, y = X[:, 0].copy(), X[:, 1].copy()
    c = _G(jidt, "TransferEntropyCalculatorGaussian")
    c.initialise(k, kt, l, lt, u)
    c.setObservations(_jd(x), _jd(y))
    ref = float(c.computeAverageLocalOfObservations())
    v = est.transfer_entropy(x, y, history=k, tau=kt, source_history=l, source_tau=lt,
                             delay=u, method="gaussian", base="nats")
    assert v == pytest.approx(ref, rel=1e-10, abs=1e-13)


def test_gaussian_conditional_te_and_ais_jidt(jidt):
    X = _ar(4000, 3, 31)
    x, y, z = (X[:, j].copy() for j in range(3))
    c = _G(jidt, "ConditionalTransferEntropyCalculatorGaussian")
    c.initialise(2, 1, 2, 2, 1, 2, 3, 2)      # k, k_tau, l, l_tau, delay, cond dim, tau, delay
    c.setObservations(_jd(x), _jd(y), _jd(z))
    ref = float(c.computeAverageLocalOfObservations())
    v = est.transfer_entropy(x, y, condition=z, history=2, source_history=2, source_tau=2,
                             condition_history=2, condition_tau=3, condition_delay=2,
                             method="gaussian", base="nats")
    assert v == pytest.approx(ref, rel=1e-10, abs=1e-13)
    a = _G(jidt, "ActiveInfoStorageCalculatorGaussian")
    a.initialise(3, 2)
    a.setObservations(_jd(y))
    ref = float(a.computeAverageLocalOfObservations())
    v = est.active_information_storage(y, history=3, tau=2, method="gaussian", base="nats")
    assert v == pytest.approx(ref, rel=1e-10, abs=1e-13)


def test_gcmi_te_frites():
    gcmi_1d = pytest.importorskip("frites.core.gcmi_1d")
    X = _ar(3000, 2, 41)
    x, y = X[:, 0], X[:, 1]
    # the embedded vectors built by hand: t = 2 .. n-1 for k = 2, l = 1, u = 1
    t = np.arange(2, 3000)
    src = x[t - 1][None, :]
    nxt = y[t][None, :]
    past = np.vstack([y[t - 1], y[t - 2]])
    ref = gcmi_1d.gccmi_1d_ccc(src, nxt, past)          # bits
    assert est.transfer_entropy(x, y, history=2, method="gcmi") == pytest.approx(
        ref, rel=1e-10, abs=1e-12)
    ais_ref = gcmi_1d.gcmi_1d_cc(past, nxt)
    assert est.active_information_storage(y, history=2, method="gcmi") == pytest.approx(
        ais_ref, rel=1e-10, abs=1e-12)
