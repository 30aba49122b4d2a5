"""Type aliases of the public signatures (for annotations only)."""
from __future__ import annotations

from typing import TypeAlias

#: A log base: a positive number, "bits" (2), "nats" (e), "bans" (10), or
#: None (the natural log).
Base: TypeAlias = "float | str | None"
#: Axes to reduce over: one axis, several, or None (all).
Axis: TypeAlias = "int | tuple[int, ...] | None"
