"""Continuous estimators: spacing and k-nearest-neighbour methods."""
from __future__ import annotations


def _todo(*args, **kwargs):
    raise NotImplementedError("continuous estimators are not implemented yet")


differential_entropy = kl_divergence = mutual_information = _todo
gaussian_entropy = gaussian_kl_divergence = _todo
