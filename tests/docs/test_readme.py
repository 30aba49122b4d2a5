"""The README's quickstart examples run (as doctests) and give the numbers shown."""
import doctest
import pathlib

import pytest

README = pathlib.Path(__file__).resolve().parents[2] / "README.md"


def test_readme_examples():
    if not README.exists():
        pytest.skip("not run from a source checkout")
    res = doctest.testfile(str(README), module_relative=False, verbose=False,
                           optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert res.attempted >= 10
    assert res.failed == 0
