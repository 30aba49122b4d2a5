"""Estimators of entropy, mutual information and divergence from samples.

Samples lie along axis 0.  Discrete estimators take labels of any hashable
dtype (integers, bools, strings); continuous estimators take real samples.
``entropy`` and ``mutual_information`` serve both kinds of data: for float
samples they need an explicit ``method`` (nothing silently treats continuous
data as labels).
"""
from __future__ import annotations

from ._continuous import (
    differential_entropy,
    gaussian_entropy,
    gaussian_kl_divergence,
    kl_divergence,
)
from ._discrete import (
    conditional_entropy,
    contingency_table,
    entropy,
    entropy_from_counts,
    mutual_information_from_counts,
    mutual_information_matrix,
)
from ._dispatch import conditional_mutual_information, mutual_information
from ._dynamics import (
    active_information_storage,
    lagged_mutual_information,
    transfer_entropy,
    transfer_entropy_matrix,
)
from ._multivariate import (
    dual_total_correlation,
    interaction_information,
    o_information,
    s_information,
    total_correlation,
)
from ._nsb import renyi_entropy, tsallis_entropy
from ._significance import PermutationTestResult as PermutationTestResult
from ._significance import permutation_test
from ._sklearn import mutual_info_classif, mutual_info_regression

__all__ = [
    # discrete (labels)
    "entropy",
    "entropy_from_counts",
    "mutual_information",
    "conditional_entropy",
    "conditional_mutual_information",
    "mutual_information_matrix",
    "contingency_table",
    "mutual_information_from_counts",
    "renyi_entropy",
    "tsallis_entropy",
    # continuous (real samples)
    "differential_entropy",
    "kl_divergence",
    "gaussian_entropy",
    "gaussian_kl_divergence",
    # time series (information dynamics)
    "transfer_entropy",
    "transfer_entropy_matrix",
    "active_information_storage",
    "lagged_mutual_information",
    # multivariate
    "total_correlation",
    "dual_total_correlation",
    "o_information",
    "s_information",
    "interaction_information",
    # significance
    "permutation_test",
    # scikit-learn drop-ins (feature selection)
    "mutual_info_classif",
    "mutual_info_regression",
]
