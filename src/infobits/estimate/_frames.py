"""pandas DataFrames and Series in the estimators (one hook per estimator).

An estimator calls, as its first line::

    if _frames.has_pandas(x):
        return _frames.dispatch(entropy, (x,), dict(method=method, base=base))

``has_pandas`` only looks at the operands' types: pandas is never imported
unless an operand is a pandas object (it stays an optional dependency, and
``import infobits`` does not load it).  ``dispatch`` then applies these
rules:

* each column decides by its own dtype, as a 1-D input would: for the
  estimators whose data may be labels or continuous (``ambiguous=True``:
  ``entropy``, ``mutual_information``, ...), a float column without an
  explicit ``method`` raises ``ValueError`` naming the column (nothing
  treats a float column as labels silently, whatever the other columns'
  dtypes); a column of another kind is passed on as it is;
* a DataFrame is a batch of columns: the estimator runs on each column (the
  other operands unchanged, or, for a DataFrame of the same width, its
  column of the same position) and the results are a ``pandas.Series``
  indexed by the column names (``kind="columns"``), or for a matrix of
  pairs a ``pandas.DataFrame`` with the column names on both axes
  (``kind="matrix"``);
* a Series is one column: its dtype decides and errors name it by its
  ``name``; a result that has one value per column of a DataFrame paired
  with a Series is named after that Series (``Series.name``).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import numpy as np

from .._typing import Estimate

__all__ = ["dispatch", "has_pandas", "is_pandas"]


def is_pandas(x: Any) -> bool:
    """True for a pandas object (checked without importing pandas)."""
    return type(x).__module__.partition(".")[0] == "pandas"


def has_pandas(*operands: Any) -> bool:
    """True if any operand is a pandas object."""
    return any(type(o).__module__.partition(".")[0] == "pandas" for o in operands)


def _label(col: Any, operand: str) -> str:
    return f"column {col!r} of {operand}"


def _check_dtype(values: Any, where: str, method: Any, ambiguous: bool) -> None:
    dt = getattr(values, "dtype", None)
    if ambiguous and method is None and dt is not None and np.dtype(dt).kind == "f":
        raise ValueError(
            f"{where} holds float samples ({np.dtype(dt)}): pass method='plugin' to "
            f"treat its values as labels, or method='ksg' (or differential_entropy) "
            f"for continuous data")


def _series_values(s: Any, where: str, method: Any, ambiguous: bool) -> Any:
    v = s.to_numpy()
    if getattr(s.dtype, "name", "") == "category":
        v = np.asarray(s.astype(object))
    _check_dtype(v, where, method, ambiguous)
    return v


def dispatch(func: Callable[..., Any], operands: tuple[Any, ...], kwargs: dict[str, Any],
             names: tuple[str, ...] = ("x", "y", "z"), *, kind: str = "columns",
             ambiguous: bool = True) -> Estimate:
    """Run *func* on pandas operands column by column (see the module
    docstring); at least one operand is a pandas object.

    kwargs are the estimator's keyword arguments (``method`` among them for
    the dtype rule)."""
    import pandas as pd

    method = kwargs.get("method")
    frames = [(i, o) for i, o in enumerate(operands) if isinstance(o, pd.DataFrame)]
    plain = list(operands)
    series_name = None
    for i, o in enumerate(operands):
        if isinstance(o, pd.Series):
            where = (f"Series {o.name!r} ({names[i]})" if o.name is not None else names[i])
            plain[i] = _series_values(o, where, method, ambiguous)
            series_name = o.name if series_name is None else series_name
    if not frames:
        return cast(Estimate, func(*plain, **kwargs))
    first_i, first = frames[0]
    cols = list(first.columns)
    if kind == "matrix":
        vals = [_series_values(first[c], _label(c, names[first_i]), method, ambiguous)
                for c in cols]
        X = np.empty((len(first), len(cols)), dtype=object) if vals else np.empty((len(first), 0))
        for j, v in enumerate(vals):
            X[:, j] = v
        if vals and all(v.dtype == vals[0].dtype for v in vals):
            X = np.stack(vals, axis=1)
        plain[first_i] = X
        m = func(*plain, **kwargs)
        return cast(Estimate, pd.DataFrame(np.asarray(m, dtype=np.float64),
                                           index=first.columns, columns=first.columns))
    out = []
    for j in range(len(cols)):
        args = list(plain)
        for i, f in frames:
            if i != first_i and f.shape[1] not in (1, len(cols)):
                raise ValueError(
                    f"{names[i]} has {f.shape[1]} columns and {names[first_i]} {len(cols)}: "
                    f"pass the same number of columns, or one")
            cc = f.columns[j] if (i == first_i or f.shape[1] == len(cols)) else f.columns[0]
            args[i] = _series_values(f[cc], _label(cc, names[i]), method, ambiguous)
        out.append(func(*args, **kwargs))
    return cast(Estimate, pd.Series(np.asarray(out, dtype=np.float64), index=first.columns,
                                    name=series_name))
