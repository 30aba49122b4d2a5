"""The user-facing text stands alone: no pointer outside the repository.

A user who clones infobits has only the repository.  README, CHANGELOG, the
docs/ site and everything shipped in the package (docstrings, comments,
stubs, bench labels) must not point to ``../shared`` nor name internal
planning documents ("SPEC") or call the d2l chapter's code "the seed".

``seed`` in its random-number sense stays allowed on a line that is plainly
about random numbers (it also says rng/random, or reads ``seed=``/``seed :``).
"""
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]

PATTERNS = {
    "../shared": re.compile(r"\.\./shared|shared/seeds|shared/SPEC"),
    "SPEC": re.compile(r"\bSPEC\b|\bspec(?:ification)? section\b|\bthe spec\b", re.IGNORECASE),
    "seed": re.compile(r"\bseeds?\b", re.IGNORECASE),
}
RNG_LINE = re.compile(r"rng|random|generator|noise|seed\s*[=:]|seed\)|seeds?\s+\(?\d|\d+\s+seeds", re.IGNORECASE)

SUFFIXES = {".py", ".pyx", ".pyi", ".pxi", ".pxd", ".md", ".rst", ".txt", ".toml", ".json", ".cfg"}


def _files():
    if not (ROOT / "README.md").exists():  # tests run outside a checkout (installed wheel)
        return []
    files = [ROOT / "README.md", ROOT / "pyproject.toml"]
    files += [p for p in [ROOT / "CHANGELOG.md"] if p.exists()]
    for top in ("docs", "src/infobits", "examples"):
        for p in sorted((ROOT / top).rglob("*")):
            if p.is_file() and p.suffix in SUFFIXES and "_build" not in p.parts \
                    and "_generated" not in p.parts and "generated" not in p.parts \
                    and "gallery" not in p.parts and p.name != "sg_execution_times.rst":
                files.append(p)
    return files


FILES = _files()


def test_the_file_list_is_not_empty():
    if not FILES:
        pytest.skip("not run from a source checkout")
    names = {p.relative_to(ROOT).as_posix() for p in FILES}
    assert {"README.md", "src/infobits/measures.py", "src/infobits/bench.py"} <= names
    assert any(n.startswith("docs/") for n in names)


@pytest.mark.parametrize("path", FILES, ids=[p.relative_to(ROOT).as_posix() for p in FILES])
def test_no_pointer_outside_the_repository(path):
    bad = []
    for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        for word, pat in PATTERNS.items():
            if pat.search(line) and not (word == "seed" and RNG_LINE.search(line)):
                bad.append(f"{path.relative_to(ROOT)}:{no}: {word!r}: {line.strip()[:100]}")
    assert not bad, "\n".join(bad)


def test_the_patterns_catch_what_they_should():
    # the check itself can fail: each banned form is found, the RNG sense is not
    for text, word in [("see ../shared/SPEC.md", "../shared"), ("(SPEC section 2)", "SPEC"),
                       ("the seed's nansum", "seed"), ("seed NumPy", "seed")]:
        assert PATTERNS[word].search(text), text
    assert RNG_LINE.search("rng = np.random.default_rng(seed)")
    assert not RNG_LINE.search("the seed's nansum")
