"""A pool of query worker processes that are killed and replaced at the time limit.

``size`` workers are kept ready. When a query takes the last idle one, a spare starts in the
background (up to ``spares`` of them), so that long queries leave room for short ones; spares
stop once the pool has had an idle worker for :data:`SPARE_LINGER` seconds (not at once: under
a steady load a spare stopped after each query would be started again at the next, loading
the dataset each time).

The dataset never changes while the pool runs, so an answer is kept (the last
:data:`ANSWERS_KEPT` of at most :data:`ANSWER_BYTES_KEPT` bytes each) and the same request
(query, accepted media types and dataset) is answered again without a worker.

Up to ``queue`` queries wait for a free worker (for at most the time limit), and any beyond
that are refused at once (:class:`Busy`, HTTP 503).

>>> pool = WorkerPool("calcinosis-kg.nq", size=2, queue=4)
>>> pool.size, pool.queue, pool.time_limit
(2, 4, 10.0)
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import pickle
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from pathlib import Path

from .worker import Answer, Bound, Canned, main

__all__ = [
    "ANSWERS_KEPT",
    "ANSWER_BYTES_KEPT",
    "SPARE_LINGER",
    "Busy",
    "Disconnected",
    "TimeLimit",
    "WorkerDied",
    "WorkerPool",
]

#: seconds with an idle worker after which the spares stop
SPARE_LINGER = 3.0
#: how many answers are kept, and the largest kept
ANSWERS_KEPT, ANSWER_BYTES_KEPT = 256, 256 * 1024

log = logging.getLogger("calcinosis_kg")


class Busy(Exception):
    """Every worker is busy and the waiting line is full."""


class TimeLimit(Exception):
    """The query ran past the time limit; its worker was killed."""


class Disconnected(Exception):
    """The client went away; its worker was killed."""


class WorkerDied(Exception):
    """The worker stopped while it ran the query (most often: past its memory limit)."""


class _Worker:
    def __init__(self, context, dataset: str, max_rows: int, max_memory: int | None):
        self.conn, child = context.Pipe()
        args = (child, dataset, max_rows, max_memory)
        self.process = context.Process(target=main, args=args, daemon=True)
        self.process.start()
        child.close()

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


def _received(worker: _Worker) -> Answer:
    try:
        _kind, answer = worker.conn.recv()
    except (EOFError, OSError):
        raise WorkerDied("the query worker stopped while it ran the query") from None
    return answer


def _log_failure(task: asyncio.Task) -> None:
    if task.exception() is not None:
        log.error("worker restart failed: %s", task.exception())


class WorkerPool:
    """Worker processes that each hold the dataset and answer one query at a time."""

    def __init__(
        self,
        dataset: str | Path,
        size: int = 4,
        queue: int = 16,
        time_limit: float = 10.0,
        max_rows: int = 10_000,
        max_memory: int | None = None,
        spares: int = 0,
    ):
        self.dataset, self.size, self.queue, self.spares = str(dataset), size, queue, spares
        self.max_memory = max_memory
        self.time_limit, self.max_rows = float(time_limit), max_rows
        self._context = multiprocessing.get_context("spawn")
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: set[_Worker] = set()
        self._waiting = 0
        self._last_full = 0.0  # when a query last took the last idle worker
        self._trimming: asyncio.TimerHandle | None = None
        self._answers: OrderedDict[bytes, Answer] = OrderedDict()
        self.killed = 0

    async def start(self) -> None:
        """Start the workers and wait until each has loaded the dataset."""
        self._idle = asyncio.Queue()
        await asyncio.gather(*(self._spawn() for _ in range(self.size)))

    async def close(self) -> None:
        """Stop every worker."""
        if self._trimming is not None:
            self._trimming.cancel()
        for worker in list(self._all):
            worker.kill()
        self._all.clear()

    @property
    def workers(self) -> int:
        """How many workers run or start right now."""
        return len(self._all)

    @property
    def idle(self) -> int:
        """How many workers are free right now."""
        return self._idle.qsize()

    @property
    def waiting(self) -> int:
        """How many queries wait for a free worker right now."""
        return self._waiting

    async def run(
        self,
        query: str | Canned | Bound,
        accept: list[str],
        disconnected: Callable[[], Awaitable[bool]] | None = None,
        dataset: tuple[list[str], list[str]] | None = None,
    ) -> Answer:
        """Answer ``query`` (a SPARQL text, or a canned or bound query) in a worker, over the
        protocol's ``dataset`` (default and named graph IRIs); raise Busy, TimeLimit,
        Disconnected or WorkerDied."""
        key = pickle.dumps((query, accept, dataset))
        kept = self._answers.get(key)
        if kept is not None:
            self._answers.move_to_end(key)
            return kept
        answer = await self._run(query, accept, disconnected, dataset)
        if answer.status == 200 and len(answer.body) <= ANSWER_BYTES_KEPT:
            self._answers[key] = answer
            if len(self._answers) > ANSWERS_KEPT:
                self._answers.popitem(last=False)
        return answer

    async def _run(
        self,
        query: str | Canned | Bound,
        accept: list[str],
        disconnected: Callable[[], Awaitable[bool]] | None,
        dataset: tuple[list[str], list[str]] | None,
    ) -> Answer:
        if self._idle.empty() and self._waiting >= self.queue:
            raise Busy(f"{self.size} queries running and {self._waiting} waiting")
        deadline = time.monotonic() + self.time_limit
        self._waiting += 1
        try:
            worker = await asyncio.wait_for(self._idle.get(), timeout=self.time_limit)
        except asyncio.TimeoutError:
            raise Busy(f"no worker became free within {self.time_limit:g} s") from None
        finally:
            self._waiting -= 1
        if self._idle.empty():
            self._last_full = time.monotonic()
            if len(self._all) < self.size + self.spares:
                self._start_in_background()
        try:
            worker.conn.send((query, accept, dataset))
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeLimit(f"the query ran longer than {self.time_limit:g} s and was stopped")
                if await self._readable(worker, min(remaining, 0.1)):
                    answer = _received(worker)
                    break
                if disconnected is not None and await disconnected():
                    raise Disconnected("the client went away")
        except BaseException:
            self._retire(worker)
            raise
        self._idle.put_nowait(worker)
        if len(self._all) > self.size and self._trimming is None:
            self._trimming = asyncio.get_running_loop().call_later(SPARE_LINGER, self._trim)
        return answer

    def _trim(self) -> None:
        """Stop idle spares once the pool has not been full for :data:`SPARE_LINGER` seconds."""
        self._trimming = None
        if time.monotonic() - self._last_full >= SPARE_LINGER:
            while len(self._all) > self.size and not self._idle.empty():
                self._stop(self._idle.get_nowait())
        if len(self._all) > self.size:
            self._trimming = asyncio.get_running_loop().call_later(SPARE_LINGER, self._trim)

    async def _readable(self, worker: _Worker, timeout: float) -> bool:
        if worker.conn.poll():
            return True
        loop = asyncio.get_running_loop()
        ready = loop.create_future()
        fd = worker.conn.fileno()

        def wake() -> None:
            if not ready.done():
                ready.set_result(True)

        loop.add_reader(fd, wake)
        try:
            await asyncio.wait_for(ready, timeout)
        except asyncio.TimeoutError:
            pass
        finally:
            loop.remove_reader(fd)
        if not worker.process.is_alive() and not worker.conn.poll():
            raise WorkerDied("the query worker stopped while it ran the query")
        return worker.conn.poll()

    def _retire(self, worker: _Worker) -> None:
        """Kill a worker whose query is abandoned and start a replacement in the background."""
        self.killed += 1
        self._stop(worker)
        if len(self._all) < self.size or self._idle.empty():
            self._start_in_background()

    def _stop(self, worker: _Worker) -> None:
        self._all.discard(worker)
        worker.kill()

    def _start_in_background(self) -> None:
        task = asyncio.get_running_loop().create_task(self._spawn())
        task.add_done_callback(_log_failure)

    async def _spawn(self) -> None:
        worker = _Worker(self._context, self.dataset, self.max_rows, self.max_memory)
        self._all.add(worker)
        started = time.monotonic()
        while not await self._readable(worker, 0.5):
            if time.monotonic() - started > 120:
                worker.kill()
                raise RuntimeError("a query worker did not start within 120 s")
        kind, _ = worker.conn.recv()
        if kind != "ready":
            raise RuntimeError(f"a query worker sent {kind!r} instead of ready")
        with contextlib.suppress(Exception):
            self._idle.put_nowait(worker)
