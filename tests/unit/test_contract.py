"""The API contract: every public function against its row of the registry
(src/infobits/_registry.py).

A public function without a row fails ``test_every_public_function_has_a_row``;
a row whose signature drifts (an operand renamed, a standard keyword spelled
differently or with another default, ``base`` positional, a return annotation
missing or ``Any``) fails ``test_signature_matches_its_row``.
"""
from __future__ import annotations

import importlib
import inspect
import json
import os
import typing

import pytest

import infobits as ib
import infobits.estimate as est
from infobits._registry import FAMILY_DEFAULTS, ROWS, STANDARD, row

try:
    import infobits.dask as ibd
except ImportError:                     # dask is an optional dependency
    ibd = None

HERE = os.path.dirname(os.path.abspath(__file__))
SPECIAL_JSON = os.path.join(HERE, os.pardir, "data", "special_values.json")

#: spellings a standard keyword must not take
VARIANTS = {"keep_dims", "keepdim", "nanpolicy", "nan", "log_base", "logbase", "normalise",
            "dim", "dims", "axis_", "reduce"}
_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


def _public():
    names = [n for n in ib.__all__] + [f"estimate.{n}" for n in est.__all__]
    if ibd is not None:
        names += [f"dask.{n}" for n in ibd.__all__]
    return names


def _func(name):
    mod, _, attr = name.rpartition(".")
    m = {"": ib, "estimate": est, "dask": ibd}[mod]
    if m is None:
        pytest.skip("infobits.dask needs dask")
    return getattr(m, attr)


def test_every_public_function_has_a_row():
    names = {r.name for r in ROWS}
    missing = [n for n in _public() if n not in names]
    assert not missing, (f"public functions without a row in src/infobits/_registry.py: "
                         f"{missing}")
    with pytest.raises(KeyError, match="add one"):
        row("no_such_function")


def test_rows_are_unique_and_public():
    names = [r.name for r in ROWS]
    assert len(names) == len(set(names))
    public = set(_public())
    if ibd is None:
        names = [n for n in names if not n.startswith("dask.")]
    assert set(names) <= public, set(names) - public


@pytest.mark.parametrize("r", ROWS, ids=lambda r: r.name)
def test_signature_matches_its_row(r):
    f = _func(r.name)
    sig = inspect.signature(f)
    params = sig.parameters
    positional = [p.name for p in params.values() if p.kind in _POSITIONAL]
    assert tuple(positional) == r.operands, (r.name, positional)
    assert len(r.kinds) == len(r.operands), r.name
    assert set(r.kinds) <= {"prob", "real", "labels", "counts", "int"}, r.name
    for k, default in r.keywords.items():
        assert k in STANDARD, (r.name, k, "not a standard keyword")
        assert k in params, (r.name, f"the row says it takes {k}")
        assert params[k].default == default, (r.name, k, params[k].default, default)
        fixed = STANDARD[k]
        if k in FAMILY_DEFAULTS:
            assert default in FAMILY_DEFAULTS[k], (r.name, k, default)
        elif k != "method":
            assert default == fixed, (r.name, k, default, "the standard default is", fixed)
    # every standard keyword the function takes is in its row
    for k in params:
        assert k not in VARIANTS, (r.name, f"{k}: not a standard spelling")
        if k in STANDARD and k not in r.operands:
            assert k in r.keywords, (r.name, f"takes {k}: list it in its row")
    if "base" in params:
        assert params["base"].kind is inspect.Parameter.KEYWORD_ONLY, (r.name, "base positional")
    ret = sig.return_annotation
    assert ret is not inspect.Signature.empty, (r.name, "no return annotation")
    assert ret is not typing.Any and str(ret).strip() not in ("Any", "typing.Any"), \
        (r.name, "returns Any")


@pytest.mark.parametrize("r", [r for r in ROWS if r.dask], ids=lambda r: r.name)
def test_dask_twins_agree(r):
    if ibd is None:
        pytest.skip("infobits.dask needs dask")
    twin = row(r.dask)
    assert twin.operands == r.operands
    for k, v in twin.keywords.items():
        assert r.keywords.get(k, "absent") == v, (r.name, k)
    # the twin takes every standard keyword of the in-memory function
    # except axes and out
    assert set(r.keywords) - set(twin.keywords) <= {"axes", "out"}, r.name
    assert twin.reference == r.reference


def test_every_twin_has_its_in_memory_row():
    for r in ROWS:
        if r.name.startswith("dask."):
            mem = row(r.name[len("dask."):])
            assert mem.dask == r.name, r.name


@pytest.mark.parametrize("r", [r for r in ROWS if r.reference and
                               not r.reference.startswith("formula: ")],
                         ids=lambda r: r.name)
def test_references_resolve(r):
    mod, _, attr = r.reference.rpartition(".")
    top = mod.split(".")[0]
    if top in ("torch", "dit"):
        pytest.importorskip(top)
    obj = importlib.import_module(mod)
    assert callable(getattr(obj, attr)), r.reference


def test_every_value_function_has_a_reference():
    for r in ROWS:
        if r.operands and r.name not in ("set_num_threads",):
            assert r.reference, r.name


def test_special_value_rows_exist():
    with open(SPECIAL_JSON) as fh:
        fns = {e["fn"] for e in json.load(fh)}
    for r in ROWS:
        for key in r.special:
            assert key in fns, (r.name, key)
    # every in-memory function of infobits with values has special-value rows
    for n in ib.__all__:
        if n in ("set_num_threads", "get_num_threads", "simd_path"):
            continue
        assert row(n).special, n
