"""The .pyi stubs describe the compiled modules, and py.typed is installed.

For each compiled module: every public function, class and integer constant
of the module is in its stub and every name in the stub exists in the
module (type aliases excepted); a stubbed function has the same parameter
names, in the same order, as the compiled one.
"""
import ast
import importlib
import inspect
import pathlib

import pytest

import infobits
from infobits import _config

PKG = pathlib.Path(infobits.__file__).parent


def _stub_names(mod_name):
    tree = ast.parse((PKG / f"{mod_name}.pyi").read_text())
    funcs, others, aliases = {}, set(), set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            funcs[node.name] = [a.arg for a in node.args.posonlyargs + node.args.args
                                + node.args.kwonlyargs]
        elif isinstance(node, ast.ClassDef):
            others.add(node.name)
        elif isinstance(node, ast.AnnAssign):
            others.add(node.target.id)
        elif isinstance(node, ast.Assign):  # X = npt.NDArray[...]: a type alias
            aliases |= {t.id for t in node.targets}
    return funcs, others, aliases


@pytest.mark.parametrize("mod_name", _config._MODULES)
def test_stub_matches_compiled_module(mod_name):
    assert (PKG / f"{mod_name}.pyi").exists(), f"{mod_name}.pyi is missing"
    mod = importlib.import_module(f"infobits.{mod_name}")
    funcs, others, aliases = _stub_names(mod_name)
    names = {n for n, v in vars(mod).items()
             if not n.startswith("__") and not inspect.ismodule(v)}
    missing = names - set(funcs) - others
    extra = (set(funcs) | others) - names
    assert not missing, f"in infobits.{mod_name} but not in its stub: {sorted(missing)}"
    assert not extra, f"in {mod_name}.pyi but not in the module: {sorted(extra)}"
    assert not aliases & names, "a stub type alias shadows a module name"
    for name, params in funcs.items():
        obj = getattr(mod, name)
        try:
            sig = inspect.signature(obj)
        except (TypeError, ValueError):  # no introspectable signature
            continue
        assert list(sig.parameters) == params, (name, list(sig.parameters), params)


def test_py_typed_marker_ships():
    assert (PKG / "py.typed").exists()
