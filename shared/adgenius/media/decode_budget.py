"""Decoding images within a memory budget.

A compressed image says nothing about its decoded size: a 40 kB flat PNG of 4096x4096 16-bit
pixels decodes to 32 MB and converts to 64 MB of RGBA. Before decoding, the header's size and
mode give the decoded size (`decoded_bytes`); every decode of outside input reserves that
much from one budget per process (`DECODES`). A decode that could never fit is refused; others
wait their turn, so concurrent uploads cannot add up to more than the budget.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the budget itself needs no Pillow: importers that never decode skip it
    from PIL import Image

# Bytes per pixel of each Pillow mode in memory (Pillow keeps 3- and 2-band images in 4 bytes).
_ONE_BYTE = {"1", "L", "P"}
_TWO_BYTES = {"I;16", "I;16L", "I;16B", "I;16N"}
BUDGET_BYTES = 192 * 1024 * 1024
WAIT_S = 30.0


class DecodeTooLarge(ValueError):
    """The image needs more memory to decode than a whole budget."""


class DecodeBusy(RuntimeError):
    """Other decodes hold the budget for longer than a request should wait."""


def bytes_per_pixel(mode: str) -> int:
    if mode in _ONE_BYTE:
        return 1
    if mode in _TWO_BYTES:
        return 2
    return 4


def decoded_bytes(image: Image.Image, *, converts_to: str | None = None) -> int:
    """Memory a full decode of an opened (not yet loaded) image takes, from its header; plus a
    full-size copy in mode `converts_to` when the caller converts before scaling down."""
    pixels = image.width * image.height
    extra = pixels * bytes_per_pixel(converts_to) if converts_to else 0
    return pixels * bytes_per_pixel(image.mode) + extra


class DecodeBudget:
    """A counting budget of bytes shared by the threads of one process."""

    def __init__(self, capacity: int = BUDGET_BYTES) -> None:
        self.capacity = capacity
        self.in_use = 0
        self.peak = 0  # the most ever reserved at once (what the budget held memory to)
        self._cond = threading.Condition()

    @contextmanager
    def reserve(self, n: int, wait_s: float | None = None) -> Iterator[None]:
        if n > self.capacity:
            raise DecodeTooLarge(
                f"decoding needs {n // (1024 * 1024)} MB, more than the "
                f"{self.capacity // (1024 * 1024)} MB an image may take"
            )
        with self._cond:
            fits = self._cond.wait_for(
                lambda: self.in_use + n <= self.capacity, WAIT_S if wait_s is None else wait_s
            )
            if not fits:
                raise DecodeBusy("too many images are being decoded; try again shortly")
            self.in_use += n
            self.peak = max(self.peak, self.in_use)
        try:
            yield
        finally:
            with self._cond:
                self.in_use -= n
                self._cond.notify_all()


DECODES = DecodeBudget()
