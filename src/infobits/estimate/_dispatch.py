"""``mutual_information``: one name for labels and for continuous samples."""
from __future__ import annotations

from . import _continuous, _discrete

DISCRETE_METHODS = ("plugin", "miller_madow", "grassberger", "james_stein", "chao_shen")
CONTINUOUS_METHODS = ("ksg", "ross")


def mutual_information(x, y, *, method=None, base=2, **kwargs):
    """Mutual information I(X; Y) estimated from paired samples.

    (Docstring to be completed by the discrete and continuous estimator work.)
    """
    if method is None or method in DISCRETE_METHODS:
        return _discrete.mutual_information(x, y, method=method, base=base, **kwargs)
    if method in CONTINUOUS_METHODS:
        return _continuous.mutual_information(x, y, method=method, base=base, **kwargs)
    raise ValueError(
        f"method must be one of {DISCRETE_METHODS + CONTINUOUS_METHODS} or None, "
        f"got {method!r}"
    )
