"""infobits: information theory and the losses built on it, with a compiled core.

>>> import infobits as ib
>>> print(f"{ib.entropy([0.1, 0.5, 0.1, 0.3]):.7f}")
1.6854753

The subpackages ``infobits.estimate`` (estimators from samples) and
``infobits.dask`` (Dask arrays) are attributes too, imported on first use:
``import infobits`` itself imports neither (nor Dask).

>>> print(f"{ib.estimate.entropy([1, 1, 2, 2]):.1f}")
1.0
"""
from typing import TYPE_CHECKING, Any

from ._config import get_num_threads, set_num_threads, simd_path
from .binary import binary_cross_entropy, binary_focal_loss
from .losses import cross_entropy, focal_loss, nll_loss, perplexity
from .measures import (
    conditional_entropy,
    entropy,
    jensen_shannon_divergence,
    joint_entropy,
    kl_divergence,
    mutual_information,
    pointwise_mutual_information,
    renyi_entropy,
    self_information,
    tsallis_entropy,
)
from .multivariate import (
    conditional_mutual_information,
    dual_total_correlation,
    interaction_information,
    o_information,
    s_information,
    total_correlation,
)
from .numerics import log1pexp, log_sigmoid, log_softmax, logsumexp, softmax

__version__ = "0.1.0"

__all__ = [
    # measures on probability arrays
    "self_information",
    "entropy",
    "joint_entropy",
    "conditional_entropy",
    "mutual_information",
    "pointwise_mutual_information",
    "kl_divergence",
    "jensen_shannon_divergence",
    "renyi_entropy",
    "tsallis_entropy",
    # multivariate measures on joint tables
    "conditional_mutual_information",
    "total_correlation",
    "dual_total_correlation",
    "o_information",
    "s_information",
    "interaction_information",
    # numerics
    "logsumexp",
    "softmax",
    "log_softmax",
    "log1pexp",
    "log_sigmoid",
    # losses
    "cross_entropy",
    "nll_loss",
    "binary_cross_entropy",
    "focal_loss",
    "binary_focal_loss",
    "perplexity",
    # threads and SIMD
    "set_num_threads",
    "get_num_threads",
    "simd_path",
]

#: subpackages reachable as attributes, imported on first access (so that
#: ``import infobits`` does not import Dask); not in ``__all__``, so that
#: ``from infobits import *`` does not import them either
_SUBPACKAGES = ("estimate", "dask")

if TYPE_CHECKING:  # what the lazy attributes are, for type checkers
    from . import dask as dask
    from . import estimate as estimate


def __getattr__(name: str) -> Any:
    if name in _SUBPACKAGES:
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    """The public names: ``__all__``, the lazy subpackages and ``__version__``."""
    return sorted(set(__all__) | set(_SUBPACKAGES) | {"__version__"})
