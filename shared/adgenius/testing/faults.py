"""Injectable faults for the fake Vertex AI server.

A fault matches requests by route (the Vertex method after the colon, e.g. `generateContent`,
`predict`, `embedContent`, `predictLongRunning`, `fetchPredictOperation`, or `*`) and optionally
by a model-name glob. It fires for the first `times` matches (forever when None), each time with
`probability`, drawn from one seeded generator so a chaos run is reproducible.
"""

from __future__ import annotations

import fnmatch
import random
import threading
from typing import Literal

from pydantic import BaseModel, Field

FaultKind = Literal["error", "delay", "safety", "malformed", "operation_error"]

ROUTES = (
    "generateContent",
    "streamGenerateContent",
    "predict",
    "embedContent",
    "predictLongRunning",
    "fetchPredictOperation",
)


class Fault(BaseModel):
    """One injected misbehaviour.

    kind:
      error            answer HTTP `status` with a Google error body (429, 500, 503, 400...).
      delay            wait `delay_s` seconds, then answer normally (trips client timeouts).
      safety           generateContent: prompt blocked (`safety_mode="prompt"`) or candidate
                       finishing with SAFETY (`"finish"`); Imagen: every image RAI-filtered;
                       Veo: the operation completes with all videos filtered.
      malformed        generateContent: text that is not valid JSON; other routes: a 200 whose
                       body is not JSON.
      operation_error  fetchPredictOperation: the operation completes with an error `status`
                       mapped to a gRPC code.
    """

    route: str = "*"
    model: str | None = None  # fnmatch glob on the model id, e.g. "imagen-*"
    kind: FaultKind
    status: int = 500
    delay_s: float = 0.0
    reason: str = "SAFETY"
    safety_mode: Literal["prompt", "finish"] = "prompt"
    times: int | None = Field(default=None, ge=1)
    probability: float = Field(default=1.0, ge=0.0, le=1.0)

    def matches(self, route: str, model: str) -> bool:
        if self.route not in ("*", route):
            return False
        return self.model is None or fnmatch.fnmatchcase(model, self.model)


class FaultPlan:
    """Thread-safe list of active faults plus a seeded generator for probabilistic ones."""

    def __init__(self, seed: int = 0) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._remaining: list[int | None] = []
        self._rng = random.Random(seed)

    def set(self, faults: list[Fault], *, seed: int | None = None, replace: bool = True) -> None:
        with self._lock:
            if replace:
                self._faults, self._remaining = [], []
            for fault in faults:
                self._faults.append(fault)
                self._remaining.append(fault.times)
            if seed is not None:
                self._rng = random.Random(seed)

    def clear(self) -> None:
        self.set([])

    def active(self) -> list[Fault]:
        with self._lock:
            return list(self._faults)

    def fire(self, route: str, model: str) -> tuple[float, Fault | None]:
        """Faults firing for one request: total delay, and the first non-delay fault."""
        delay = 0.0
        chosen: Fault | None = None
        with self._lock:
            keep_faults: list[Fault] = []
            keep_remaining: list[int | None] = []
            for fault, left in zip(self._faults, self._remaining, strict=True):
                fired = False
                if fault.matches(route, model) and (fault.kind == "delay" or chosen is None):
                    fired = fault.probability >= 1.0 or self._rng.random() < fault.probability
                if fired:
                    if fault.kind == "delay":
                        delay += fault.delay_s
                    else:
                        chosen = fault
                    if left is not None:
                        left -= 1
                if left is None or left > 0:
                    keep_faults.append(fault)
                    keep_remaining.append(left)
            self._faults, self._remaining = keep_faults, keep_remaining
        return delay, chosen
