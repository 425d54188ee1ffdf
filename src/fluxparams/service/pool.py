"""A few analysis worker processes, and a time budget that really frees a worker.

Analysis is CPU-bound pure Python: in a thread it could not be interrupted, and a script that
takes minutes would hold a server thread (and the GIL every other request needs) for minutes.
So each script goes to a worker process (:func:`.analysis.serve`) over a pipe; when no reply
comes within the budget the worker is killed, and the slot starts a fresh one when next used.
The server's own threads only wait on the pipe, so the server keeps answering meanwhile.

A request first waits for an idle worker (at most ``wait`` seconds, then :class:`Busy`), then gives
it the script (at most ``budget`` seconds, then :class:`OverBudget`). Waiting happens on the event
loop; only a request that holds a worker occupies a thread, so at most ``size`` threads wait on
pipes whatever the load.

Workers come from a ``forkserver`` (a clean process that imported the analysis once; forking it
is cheap), or ``spawn`` where there is none. Never plain ``fork``: the server has threads, and a
forked child could inherit a lock another thread held.
"""
from __future__ import annotations

import asyncio
import functools
import logging
import multiprocessing
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, List, Optional, Tuple, Union

from starlette.concurrency import run_in_threadpool

from . import analysis

log = logging.getLogger("fluxparams.service")

# A script (its params), or ("diagnostics", script): every finding (analysis.diagnose)
Job = Union[str, Tuple[str, str]]

DEFAULT_WORKERS = 2
DEFAULT_BUDGET = 5.0
START_TIMEOUT = 60.0  # a cold spawn on a slow machine imports the whole package first
STOP_GRACE = 2.0


class PoolError(Exception):
    pass


class Busy(PoolError):
    """No worker became free within the wait: the server is overloaded, not the script wrong."""


class OverBudget(PoolError):
    """The analysis did not finish within the budget; its worker was killed."""


class WorkerLost(PoolError):
    """The worker process ended while it analyzed the script (e.g. killed for its memory)."""


class WorkerStartError(PoolError):
    """A worker process could not be started."""


@functools.cache
def _context() -> Any:  # a ForkServerContext or SpawnContext (BaseContext has no Process)
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        # The fork server imports the analysis once; every worker forked from it starts warm.
        # (No effect when a fork server is already running: then workers import on start.)
        ctx.set_forkserver_preload([analysis.__name__])
        return ctx
    return multiprocessing.get_context("spawn")


class Worker:
    """One worker process slot. Used by one thread at a time (the pool guarantees it)."""

    def __init__(self) -> None:
        self._proc: Optional[BaseProcess] = None
        self._conn: Optional[Connection] = None

    @property
    def pid(self) -> Optional[int]:
        return self._proc.pid if self._proc is not None else None

    def alive(self) -> bool:
        return self._proc is not None and self._proc.is_alive()

    def ensure_started(self) -> None:
        if self.alive():
            return
        self.stop()
        ctx = _context()
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=analysis.serve, args=(child,), name="fluxparams-analysis",
                           daemon=True)
        try:
            proc.start()
        except OSError as e:
            parent.close()
            child.close()
            raise WorkerStartError(f"cannot start an analysis process: {e}") from None
        child.close()
        self._proc, self._conn = proc, parent
        try:
            ready = parent.poll(START_TIMEOUT) and parent.recv() == analysis.READY
        except (EOFError, OSError):
            ready = False
        if not ready:
            code = self.stop(grace=0)
            raise WorkerStartError(f"the analysis process did not start (exit code {code})")

    def analyze(self, script: Job, budget: float) -> analysis.Reply:
        """The worker's reply for ``script``; kills the worker when it overruns ``budget``."""
        self.ensure_started()
        conn = self._conn
        assert conn is not None
        try:
            conn.send(script)
            if conn.poll(budget):
                reply: analysis.Reply = conn.recv()
                return reply
        except (EOFError, OSError):
            code = self.stop(grace=0)
            raise WorkerLost(f"the analysis process ended while analyzing the script "
                             f"(exit code {code})") from None
        self.stop(grace=0)
        raise OverBudget(f"no answer within {budget:g} s")

    def stop(self, grace: float = STOP_GRACE) -> Optional[int]:
        """End the process and return its exit code: closing its pipe ends an idle worker; one
        still busy (or past ``grace`` seconds) is killed."""
        proc, conn = self._proc, self._conn
        self._proc = self._conn = None
        if conn is not None:
            conn.close()
        if proc is None:
            return None
        if grace > 0:
            proc.join(grace)
        if proc.is_alive():
            proc.kill()
        proc.join()
        code = proc.exitcode
        proc.close()
        return code


class AnalysisPool:
    """``size`` workers; :meth:`analyze` with a ``budget`` in seconds, after waiting at most
    ``wait`` seconds (default: one budget) for a free worker."""

    def __init__(self, size: int = DEFAULT_WORKERS, budget: float = DEFAULT_BUDGET,
                 wait: Optional[float] = None) -> None:
        if size < 1:
            raise ValueError("the analysis pool needs at least one worker")
        if budget <= 0:
            raise ValueError("the analysis budget must be positive")
        self.size = size
        self.budget = budget
        self.wait = budget if wait is None else wait
        self._workers: List[Worker] = [Worker() for _ in range(size)]
        self._idle: Optional["asyncio.Queue[Worker]"] = None
        self.jobs = 0  # scripts sent to a worker
        self.killed = 0  # workers killed for overrunning the budget

    def _queue(self) -> "asyncio.Queue[Worker]":
        # Made on first use, inside the event loop that serves requests (a Queue belongs to one).
        if self._idle is None:
            self._idle = asyncio.Queue()
            for worker in self._workers:
                self._idle.put_nowait(worker)
        return self._idle

    async def start(self) -> None:
        """Start every worker now (the server calls this before it accepts requests)."""
        self._queue()
        results = await asyncio.gather(
            *(run_in_threadpool(w.ensure_started) for w in self._workers),
            return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException):
                # Not fatal: the slot retries when a request needs it, and answers 503 if it fails.
                log.error("analysis worker: %s", result)

    async def analyze(self, script: Job) -> analysis.Reply:
        idle = self._queue()
        try:
            worker = await asyncio.wait_for(idle.get(), self.wait)
        except asyncio.TimeoutError:
            raise Busy(f"no analysis worker became free within {self.wait:g} s") from None
        try:
            self.jobs += 1
            return await run_in_threadpool(worker.analyze, script, self.budget)
        except OverBudget:
            self.killed += 1
            raise
        finally:
            idle.put_nowait(worker)

    def pids(self) -> List[int]:
        """The process ids of the running workers."""
        return [w.pid for w in self._workers if w.alive() and w.pid is not None]

    def close(self) -> None:
        """Stop every worker (at shutdown, once requests have finished)."""
        for worker in self._workers:
            worker.stop()
        self._idle = None
