"""Read-only mappings for the frozen results that cached simulations share.

A function behind ``functools.lru_cache`` hands the same result to every notebook cell and
widget that asks again, so one caller that changed it would change what all the others draw.
Results are therefore frozen dataclasses whose sequences are tuples; a mapping in one is a
``frozen_mapping``.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


def frozen_mapping(mapping: dict[K, V]) -> Mapping[K, V]:
    """A read-only view of a private copy of ``mapping`` (a dict, or a subclass such as
    ``Counter``): lookups behave as on the original (a ``Counter``'s missing key still counts
    0), and nothing can change it, not even the code that built the original and keeps it."""
    return MappingProxyType(mapping.copy())
