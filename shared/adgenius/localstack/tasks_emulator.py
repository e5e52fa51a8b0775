"""The local Cloud Tasks emulator: gcloud-tasks-emulator's API with Cloud Tasks' queue semantics.

`gcloud-tasks-emulator` answers the Cloud Tasks gRPC API, but dispatches one task at a time per
queue, retries failures immediately and forever, and ignores task names. This launcher keeps its
API and replaces the dispatcher with one that honours what production does and what our pipeline
relies on:

- task-name de-duplication (a second task of the same name is refused with ALREADY_EXISTS);
- `rate_limits.max_dispatches_per_second` (token bucket) and `max_concurrent_dispatches`;
- `retry_config`: exponential backoff from `min_backoff` to `max_backoff`, at most `max_attempts`;
- `schedule_time`.

It runs inside the emulator's own virtualenv (protobuf<5), so it imports nothing from adgenius:
`.tools/tasks-venv/bin/python tasks_emulator.py --port P`.
"""

from __future__ import annotations

import argparse
import heapq
import itertools
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from urllib import error

from gcloud_tasks_emulator import server as base
from google.api_core.exceptions import AlreadyExists, FailedPrecondition
from google.cloud.tasks_v2 import HttpMethod, Task

log = logging.getLogger("adgenius-tasks-emulator")
DEFAULT_MAX_ATTEMPTS = 100  # Cloud Tasks' default for max_attempts=0 is "unlimited"; be finite
TOMBSTONE_S = 3600.0  # Cloud Tasks refuses a reused name for about an hour


def _seconds(value: object, default: float) -> float:
    if isinstance(value, timedelta):
        return value.total_seconds() or default
    return default


class QueueState(base.QueueState):
    """Adds name de-duplication and a time-ordered heap per queue."""

    def __init__(self) -> None:
        super().__init__("localhost", 80, -1)
        self.names: dict[str, float] = {}
        self.heaps: dict[str, list[tuple[float, int, Task, int]]] = {}
        self.seq = itertools.count()
        self.lock = threading.Lock()
        self.wakeup = threading.Condition(self.lock)

    def create_queue(self, parent, queue):  # type: ignore[no-untyped-def]
        created = super().create_queue(parent, queue)
        with self.lock:
            self.heaps.setdefault(queue.name, [])
        return created

    def update_queue(self, queue):  # type: ignore[no-untyped-def]
        # The base keeps the first definition; apply new limits like Cloud Tasks does.
        if queue.name in self._queues:
            self._queues[queue.name] = queue
        return super().update_queue(queue)

    def create_task(self, queue, task):  # type: ignore[no-untyped-def]
        if queue not in self._queues:
            raise FailedPrecondition(f"Queue {queue} does not exist.")
        now = time.time()
        with self.lock:
            if task.name:
                seen = self.names.get(task.name)
                if seen is not None and now - seen < TOMBSTONE_S:
                    raise AlreadyExists(f"Requested entity already exists: {task.name}")
                self.names[task.name] = now
            else:
                task.name = f"{queue}/tasks/{int(now * 1e6)}{next(self.seq)}"
            if task.http_request.url:
                task.http_request.http_method = task.http_request.http_method or HttpMethod.POST
            eta = task.schedule_time.timestamp() if task.schedule_time else now
            heapq.heappush(self.heaps[queue], (eta, next(self.seq), task, 0))
            self.wakeup.notify_all()
        return task


class Dispatcher(threading.Thread):
    """One loop for all queues: due tasks go out within each queue's rate and concurrency."""

    def __init__(self, state: QueueState) -> None:
        super().__init__(name="dispatcher", daemon=True)
        self.state = state
        self.pool = ThreadPoolExecutor(max_workers=64)
        self.running: dict[str, int] = {}
        self.tokens: dict[str, tuple[float, float]] = {}  # queue -> (tokens, last refill)

    def _limits(self, queue: str) -> tuple[float, int]:
        q = self.state._queues[queue]
        rate = q.rate_limits.max_dispatches_per_second or 500.0
        concurrent = q.rate_limits.max_concurrent_dispatches or 1000
        return rate, concurrent

    def _take_token(self, queue: str, rate: float, now: float) -> bool:
        tokens, last = self.tokens.get(queue, (max(1.0, rate), now))
        tokens = min(max(1.0, rate), tokens + (now - last) * rate)
        if tokens < 1.0:
            self.tokens[queue] = (tokens, now)
            return False
        self.tokens[queue] = (tokens - 1.0, now)
        return True

    def run(self) -> None:
        while True:
            with self.state.lock:
                now = time.time()
                next_due = now + 0.5
                for queue, heap in self.state.heaps.items():
                    if self.state._queues[queue].state != base.Queue.State.RUNNING:
                        continue
                    rate, concurrent = self._limits(queue)
                    while heap and heap[0][0] <= now:
                        if self.running.get(queue, 0) >= concurrent:
                            break
                        if not self._take_token(queue, rate, now):
                            next_due = min(next_due, now + 1.0 / rate)
                            break
                        _, _, task, attempt = heapq.heappop(heap)
                        self.running[queue] = self.running.get(queue, 0) + 1
                        self.pool.submit(self._dispatch, queue, task, attempt)
                    if heap:
                        next_due = min(next_due, max(heap[0][0], now + 0.005))
                self.state.wakeup.wait(timeout=max(0.005, next_due - time.time()))

    def _dispatch(self, queue: str, task: Task, attempt: int) -> None:
        ok = False
        try:
            response = base._make_task_request(queue, task, "localhost", 80)
            ok = 200 <= response.status < 300
        except error.HTTPError as exc:
            log.info("task %s answered %s", task.name, exc.code)
        except Exception as exc:
            log.info("task %s failed: %s", task.name, exc)
        with self.state.lock:
            self.running[queue] -= 1
            if not ok:
                self._retry(queue, task, attempt + 1)
            self.state.wakeup.notify_all()

    def _retry(self, queue: str, task: Task, attempts: int) -> None:
        retry = self.state._queues[queue].retry_config
        max_attempts = retry.max_attempts or DEFAULT_MAX_ATTEMPTS
        if max_attempts > 0 and attempts >= max_attempts:
            log.warning("task %s dropped after %d attempts", task.name, attempts)
            return
        low = _seconds(retry.min_backoff, 0.1)
        high = _seconds(retry.max_backoff, 3600.0)
        delay = min(high, low * 2 ** (attempts - 1))
        heapq.heappush(
            self.state.heaps[queue], (time.time() + delay, next(self.state.seq), task, attempts)
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    state = QueueState()
    api = base.APIThread(state, "127.0.0.1", args.port)
    api._is_running.set()
    api.start()
    Dispatcher(state).start()
    log.info("tasks emulator ready on port %d at %s", args.port, datetime.now(UTC).isoformat())
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        api.join()


if __name__ == "__main__":
    main()
