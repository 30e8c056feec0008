"""CPU-heavy work on one item (parsing a mail, sanitizing a large HTML body) in worker processes, each
item within a hard time budget.

Why processes: parsing is pure Python, and a thread would hold the GIL for as long as the work runs,
so the event loop (``/healthz``, REST, the agents' sockets) would stall behind a hostile mail just the
same. Why a budget: a worker stuck in a regular expression cannot be interrupted from outside, so when
an item runs over its budget the worker is killed and replaced; the caller gets ``OverBudget`` and
quarantines the item or refuses the request.

The waiting for a worker's answer happens in a thread (``conn.poll`` with the budget as its timeout),
which releases the GIL while it waits; the loop only awaits that thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import multiprocessing
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

from omnihub.channels.spi import CpuRunner, OverBudget, WorkerLost
from omnihub.domain.backoff import Backoff
from omnihub.domain.errors import InvalidInput
from omnihub.domain.html import SanitizedHtml, sanitize_html

logger = logging.getLogger(__name__)

_T = TypeVar("_T")
# A new worker imports the modules it will need before it takes work, so imports never eat a budget.
_READY_TIMEOUT_SECONDS = 120.0
# "spawn", not "fork": forking a process that runs an event loop and threads copies their locks mid-use.
_CONTEXT = multiprocessing.get_context("spawn")


def _serve(connection: Connection, preload: Sequence[str]) -> None:
    """A worker's life: import, say ready, then answer one call after another until the pipe closes."""
    for module in preload:
        importlib.import_module(module)
    connection.send(("ready", None))
    while True:
        try:
            function, args = connection.recv()
        except (EOFError, OSError):
            return
        try:
            answer: tuple[str, Any] = ("ok", function(*args))
        except Exception as exc:
            answer = ("error", exc)
        try:
            connection.send(answer)
        except Exception as exc:  # an answer that does not pickle
            connection.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))


class _Worker:
    def __init__(self, preload: Sequence[str]) -> None:
        self.connection, child_end = _CONTEXT.Pipe()
        self.process: BaseProcess = _CONTEXT.Process(
            target=_serve, args=(child_end, tuple(preload)), name="omnihub-cpu-worker", daemon=True
        )
        self.process.start()
        child_end.close()
        if not self.connection.poll(_READY_TIMEOUT_SECONDS):
            self.kill()
            raise WorkerLost("a worker process did not start")
        self.connection.recv()

    def call(self, function: Callable[..., Any], args: tuple[Any, ...], budget: float) -> Any:
        """Blocking: send the work, wait at most ``budget`` seconds for the answer (run in a thread)."""
        try:
            self.connection.send((function, args))
            started = time.monotonic()
            if not self.connection.poll(budget):
                raise OverBudget(f"over the budget of {budget:g} s")
            kind, value = self.connection.recv()
        except (EOFError, OSError) as exc:
            raise WorkerLost(f"the worker process died (exit code {self.process.exitcode})") from exc
        logger.debug("cpu worker %s answered in %.3f s", self.process.pid, time.monotonic() - started)
        if kind == "error":
            raise value
        return value

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
            self.process.join(5)
        with contextlib.suppress(Exception):
            self.connection.close()


class CpuBudget:
    """A small pool of worker processes; ``run`` is a ``CpuRunner`` with a hard budget per item.

    Workers start on first use. One killed for running over its budget (or found dead) is replaced in
    the background, so the pool keeps its size.
    """

    def __init__(self, *, workers: int, budget_seconds: float, preload: Sequence[str] = ()) -> None:
        self.size = max(1, workers)
        self.budget_seconds = budget_seconds
        self.preload = tuple(preload)
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._started = False
        self._closed = False
        self._starting: set[asyncio.Task[None]] = set()
        self._all: set[_Worker] = set()
        # Threads of its own for the blocking waits, so that argon2 and name lookups in the loop's default
        # executor never wait behind a parse (and the reverse).
        self._threads = ThreadPoolExecutor(max_workers=self.size + 2, thread_name_prefix="cpu-budget")
        self.replaced = 0  # workers killed and replaced since start: for logs and tests

    async def run(self, function: Callable[..., _T], /, *args: Any) -> _T:
        """``function(*args)`` in a worker; ``OverBudget`` when it takes longer than the budget.

        A worker found dead (it died while idle, or as the item was handed over) is replaced and the
        item given to another one, once: only an item that two workers die on is ``WorkerLost``.
        """
        if self._closed:
            raise WorkerLost("the worker pool is closed")
        if not self._started:
            self._started = True
            for _ in range(self.size):
                self._start_worker()
        for attempt in (1, 2):
            worker = await self._take_worker()
            try:
                result: _T = await self._in_thread(worker.call, function, args, self.budget_seconds)
            except WorkerLost:
                self._replace(worker)
                if attempt == 2:
                    raise
                continue
            except (OverBudget, asyncio.CancelledError):
                # Stuck, or abandoned mid-call by a cancelled caller: its state is unknown, replace it.
                self._replace(worker)
                raise
            except BaseException:
                self._idle.put_nowait(worker)  # the function raised: the worker itself is fine
                raise
            self._idle.put_nowait(worker)
            return result
        raise AssertionError("unreachable")

    async def _take_worker(self) -> _Worker:
        try:
            async with asyncio.timeout(_READY_TIMEOUT_SECONDS):
                while True:
                    worker = await self._idle.get()
                    if worker.process.is_alive():
                        return worker
                    self._replace(worker)
        except TimeoutError:
            raise WorkerLost("no worker process could be started") from None

    def _in_thread(self, function: Callable[..., _T], *args: Any) -> asyncio.Future[_T]:
        return asyncio.get_running_loop().run_in_executor(self._threads, function, *args)

    def _replace(self, worker: _Worker) -> None:
        self.replaced += 1
        logger.warning("killing cpu worker %s (over budget, dead or abandoned); starting another", worker.process.pid)
        self._all.discard(worker)
        self._in_thread(worker.kill)  # joining may take a moment
        self._start_worker()

    def _start_worker(self) -> None:
        if self._closed:
            return
        task = asyncio.get_running_loop().create_task(self._add_worker(), name="cpu-worker-start")
        self._starting.add(task)
        task.add_done_callback(self._starting.discard)

    async def _add_worker(self) -> None:
        backoff = Backoff(first=1.0, cap=60.0)
        while True:
            try:
                worker = await self._in_thread(_Worker, self.preload)
            except Exception as exc:  # whatever it was, keep trying: the pool must not shrink for good
                delay = backoff.next_delay()
                logger.error("cannot start a cpu worker: %s; trying again in %.0f s", exc, delay)
                await asyncio.sleep(delay)
                continue
            if self._closed:
                worker.kill()
                return
            self._all.add(worker)
            self._idle.put_nowait(worker)
            return

    async def aclose(self) -> None:
        self._closed = True
        for task in list(self._starting):
            task.cancel()
        await asyncio.gather(*self._starting, return_exceptions=True)
        workers, self._all = list(self._all), set()
        await asyncio.gather(*(self._in_thread(worker.kill) for worker in workers))
        self._threads.shutdown(wait=False, cancel_futures=True)


# Below this size sanitizing takes milliseconds: not worth the trip to a worker process.
INLINE_SANITIZE_CHARS = 4 * 1024


async def sanitize_within_budget(cpu: CpuRunner, html: str, *, field: str = "html") -> SanitizedHtml:
    """``html`` sanitized; a large body in a worker within the budget, else ``InvalidInput`` (a 422)."""
    if len(html) <= INLINE_SANITIZE_CHARS:
        return sanitize_html(html)
    try:
        return await cpu.run(sanitize_html, html)
    except (OverBudget, WorkerLost) as exc:
        raise InvalidInput(field, f"this HTML is too costly to sanitize ({exc}); send it simpler or as text") from exc
