"""Discrete (label) estimators: plug-in and bias-corrected entropy and MI."""
from __future__ import annotations


def _todo(*args, **kwargs):
    raise NotImplementedError("discrete estimators are not implemented yet")


entropy = entropy_from_counts = mutual_information = conditional_entropy = _todo
conditional_mutual_information = mutual_information_matrix = _todo
contingency_table = mutual_information_from_counts = _todo
