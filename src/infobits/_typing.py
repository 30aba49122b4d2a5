"""Type aliases of the public signatures (for annotations only)."""
from __future__ import annotations

from typing import Any, Protocol, TypeAlias

import numpy as np
from numpy.typing import NDArray

#: A log base: a positive number, "bits" (2), "nats" (e), "bans" (10), or
#: None (the natural log).
Base: TypeAlias = "float | str | None"
#: Axes to reduce over: one axis, several, or None (all).
Axis: TypeAlias = "int | tuple[int, ...] | None"


class Labelled(Protocol):
    """A pandas Series or DataFrame (results of the estimators on pandas
    input, labelled by column names; pandas is an optional dependency)."""

    @property
    def index(self) -> Any: ...


#: A reduction's result: a NumPy float64 scalar when every axis is reduced,
#: else a float64 array.
Result: TypeAlias = "np.float64 | NDArray[np.float64]"
#: An elementwise result, in the input's float dtype (a NumPy scalar for
#: scalar input).
Elementwise: TypeAlias = "NDArray[np.floating[Any]] | np.floating[Any]"
#: logsumexp's result: the value, or (value, sign) with return_sign.
LogSumExp: TypeAlias = (
    "np.floating[Any] | NDArray[np.floating[Any]]"
    " | tuple[np.floating[Any] | NDArray[np.floating[Any]], np.floating[Any] | NDArray[np.floating[Any]]]")
#: A loss: the reduced value (or per-sample values), or (value, gradient)
#: with return_grad.
Loss: TypeAlias = (
    "np.float64 | NDArray[np.float64]"
    " | tuple[np.float64 | NDArray[np.float64], NDArray[np.floating[Any]]]")
#: An estimate: a float64 scalar, one value per column, a matrix, or for
#: pandas input a Series / DataFrame labelled by the column names.
Estimate: TypeAlias = "np.float64 | NDArray[np.float64] | Labelled"
