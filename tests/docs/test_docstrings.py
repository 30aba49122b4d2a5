"""Run the Examples of every public docstring as doctests.

Collected from the installed package, one test per public name, so the
examples in the docs are checked by the same test command as everything else.
"""
import doctest
import importlib
import inspect

import numpy as np
import pytest

import infobits

PUBLIC = sorted(infobits.__all__)
MODULES = ["infobits"]


def _objects():
    for name in PUBLIC:
        yield name, getattr(infobits, name)
    for mod in MODULES:
        yield mod, importlib.import_module(mod)


def _run(obj, name):
    finder = doctest.DocTestFinder(recurse=False)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    tests = finder.find(obj, name, globs={"np": np})
    n = 0
    for t in tests:
        n += len(t.examples)
        runner.run(t)
    return n, runner.summarize(verbose=False)


@pytest.mark.parametrize("name,obj", list(_objects()), ids=[n for n, _ in _objects()])
def test_docstring_examples_run(name, obj):
    n, res = _run(obj, name)
    assert res.failed == 0, f"{res.failed} doctest failures in {name}"
    if inspect.isfunction(obj) or inspect.isbuiltin(obj):
        assert n > 0, f"{name} has no doctest examples"


@pytest.mark.parametrize("name", PUBLIC)
def test_numpydoc_sections(name):
    obj = getattr(infobits, name)
    if not callable(obj):
        return
    doc = inspect.getdoc(obj) or ""
    assert "Examples\n--------" in doc, f"{name} lacks an Examples section"
    sig = inspect.signature(obj)
    if sig.parameters:
        assert "Parameters\n----------" in doc, f"{name} lacks a Parameters section"
