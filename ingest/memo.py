"""``Memo``: the answers of a pure function by argument, each computed once (per document, by its owner)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

__all__ = ["Memo"]


class Memo(dict):
    """The answers of a pure function by argument, each computed on first use: ``memo[x] == function(x)``.

    A known answer is a plain dict look-up (no Python call), which is what makes it worth keeping; the
    loaders make one per document, so nothing outlives the document it was read from.

    Parameters
    ----------
    function:
        A function of one hashable argument whose answer depends on nothing else.
    """

    __slots__ = ("function",)

    def __init__(self, function: Callable[[Hashable], Any]):
        super().__init__()
        self.function = function

    def __missing__(self, key):
        value = self[key] = self.function(key)
        return value
