"""Reliability battery, part 5: label bounds.

Every loss path that reads class labels raises IndexError for a label
outside [0, K): -1, K, 2^31, int64 min/max (and the unsigned maxima), in
every integer dtype that can hold the value, for the forward value and the
gradient, every reduction, with class weights, with an ignore_index (which
is not the bad label) and with label smoothing; a bad label in the middle of
a batch and in a single-sample call.  Never a crash, never a number.
"""
from __future__ import annotations

import itertools

import numpy as np
import pytest

import infobits as ib

K = 4
BAD = [-1, K, 2 ** 31, np.iinfo(np.int64).min, np.iinfo(np.int64).max, 2 ** 32, 2 ** 63, 2 ** 64 - 1]
DTYPES = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64]


def _cases():
    for dt in DTYPES:
        info = np.iinfo(dt)
        for v in BAD:
            if info.min <= v <= info.max:
                yield dt, v


CASES = list(_cases())

rng = np.random.default_rng(0)
LOGITS = rng.normal(size=(3, K))
PROBS = np.exp(LOGITS) / np.exp(LOGITS).sum(axis=1, keepdims=True)


def _paths():
    """(id, callable(x_batch_or_row, labels, **opts)) for every labelled loss."""
    return {
        "ce_logits": lambda y, **o: ib.cross_entropy(LOGITS if y.ndim else LOGITS[0], y, from_logits=True, **o),
        "ce_probs": lambda y, **o: ib.cross_entropy(PROBS if y.ndim else PROBS[0], y, **o),
        "nll": lambda y, **o: ib.nll_loss(np.log(PROBS) if y.ndim else np.log(PROBS[0]), y,
                                          **{k: v for k, v in o.items()
                                             if k not in ("label_smoothing", "return_grad")}),
        "focal_logits": lambda y, **o: ib.focal_loss(LOGITS if y.ndim else LOGITS[0], y,
                                                     **{k: v for k, v in o.items()
                                                        if k in ("reduction", "return_grad")}),
        "focal_probs": lambda y, **o: ib.focal_loss(PROBS if y.ndim else PROBS[0], y, from_logits=False,
                                                    **{k: v for k, v in o.items()
                                                       if k in ("reduction", "return_grad")}),
        "perplexity": lambda y, **o: ib.perplexity(PROBS if y.ndim else PROBS[0], y,
                                                   **{k: v for k, v in o.items() if k == "ignore_index"}),
        "perplexity_logits": lambda y, **o: ib.perplexity(LOGITS if y.ndim else LOGITS[0], y, from_logits=True,
                                                          **{k: v for k, v in o.items() if k == "ignore_index"}),
    }


PATHS = _paths()
OPTIONS = [
    {"reduction": r, "return_grad": g, **extra}
    for r, g, extra in itertools.product(
        ("mean", "sum", "none"), (False, True),
        ({}, {"weight": np.array([1.0, 2.0, 0.5, 1.5])}, {"ignore_index": 2}, {"label_smoothing": 0.1},
         {"weight": np.array([1.0, 2.0, 0.5, 1.5]), "ignore_index": 0}))
]


def _opt_id(o):
    return "-".join(f"{k}={'w' if k == 'weight' else v}" for k, v in o.items())


@pytest.mark.parametrize("opts", OPTIONS, ids=_opt_id)
@pytest.mark.parametrize("path", list(PATHS))
def test_bad_labels_raise_index_error(path, opts):
    fn = PATHS[path]
    n = 0
    for dt, v in CASES:
        y = np.array([0, 1, 3], dtype=dt)
        y[1] = dt(v)                                    # the bad label in the middle of the batch
        with pytest.raises(IndexError, match="label|class|range"):
            fn(y, **opts)
        n += 1
        # a single sample: 1-D predictions and a scalar label
        with pytest.raises(IndexError):
            fn(np.array(v, dtype=dt), **opts)
        n += 1
    assert n == 2 * len(CASES)


@pytest.mark.parametrize("path", list(PATHS))
def test_valid_labels_in_every_dtype_agree(path):
    """The same valid labels in every integer dtype give the same bits (the
    check is not simply 'always raise')."""
    want = PATHS[path](np.array([0, 1, 3], dtype=np.int64))
    for dt in DTYPES:
        got = PATHS[path](np.array([0, 1, 3], dtype=dt))
        assert np.float64(got).tobytes() == np.float64(want).tobytes(), dt


def test_ignored_label_out_of_range_is_not_read():
    # ignore_index=-100 (PyTorch's default value) rows are skipped, other
    # negative labels still raise
    y = np.array([0, -100, 3])
    a = ib.cross_entropy(LOGITS, y, from_logits=True, ignore_index=-100)
    b = ib.cross_entropy(LOGITS[[0, 2]], y[[0, 2]], from_logits=True)
    assert a == b
    with pytest.raises(IndexError):
        ib.cross_entropy(LOGITS, np.array([0, -101, 3]), from_logits=True, ignore_index=-100)


def test_case_count():
    # every value each dtype can hold: int8/16/32 2 each, int64 6, uint8/16 1
    # each, uint32 2, uint64 6
    assert len(CASES) == 22
