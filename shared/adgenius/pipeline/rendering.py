"""Where the local engine's renders run: in the calling process, or in a small process pool.

In the cloud every item task has its own function instance, so renders of one job run in
parallel on many machines. Locally all functions share one host process, whose GIL would
serialise them; `ADGENIUS_RENDER_PROCESSES=N` (the local stack sets it) gives that host N render
processes instead, which is what parallel instances would give it. Pillow work is pure CPU and
its inputs and outputs are bytes, so it crosses processes cheaply.
"""

from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor

from adgenius.media.image_renderer import ImageSpec, RenderedImage, render_image
from adgenius.settings import get_settings

_pool: ProcessPoolExecutor | None = None
_lock = threading.Lock()


def _get_pool(workers: int) -> ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            # spawn, not fork: the host holds gRPC channels, which must not be forked.
            _pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
        return _pool


def render(spec: ImageSpec) -> RenderedImage:
    workers = get_settings().render_processes
    if workers <= 0:
        return render_image(spec)
    return _get_pool(workers).submit(render_image, spec).result()
