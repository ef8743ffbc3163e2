"""Spreading per-file and per-page work over every core.

`jobs` processes work at once: this one and `jobs - 1` forked workers. Workers are forked, so
they inherit the data they work on (the site model, the theme) instead of receiving it
pickled; each takes shares of the items by position, one after the other, and returns a small
result for each. This process takes shares too, from the other end, so its results never
travel between processes, and one process fewer holds a copy of what the workers touch. With
one job, or little work, everything runs in this process (share by share, when there is
someone to tell how far it has got). `done(count)` is told of each share's items as the share
is finished: on the process pool's thread for a worker's share.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from concurrent.futures import Future, InvalidStateError, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import lru_cache, partial
from typing import Any, TypeVar

R = TypeVar("R")
M = TypeVar("M")
T = TypeVar("T")

#: Below this many items a process pool costs more than it saves.
MIN_ITEMS_FOR_PROCESSES = 400
#: The most items in one share. Shares are taken one after the other, so the processes stay
#: busy until the end: a process that finishes early waits at most for the shares the others
#: hold (a worker of the pool holds up to three, queued for it), and small shares keep that
#: wait short. Results also travel share by share instead of piling up in a worker.
MAX_SHARE_ITEMS = 25


#: How many rounds `in_rounds` makes of many items, and of how many items at most.
ROUNDS = 4
MAX_ITEMS_IN_ROUNDS = 30_000


def in_rounds(items: list[T]) -> list[list[T]]:
    """`items` in consecutive parts, each to be mapped by workers forked for it alone.

    A forked worker shares this process's memory until either of them writes to a page of it
    (a reference count changed, freed space reused): the writer then gets a copy of the page,
    and the memory they both use grows by a page. Rendering soon writes to nearly every page
    they share, so a worker rendering every article ends up with nearly all of it copied. A
    worker forked for a quarter of them ends with far fewer copies, which go with it: the
    peak memory of the articles stage of a cold build of 10,000 articles went from 670 to
    575 MB on two cores. A round costs a fork, a worker's start, and a copy of every page that
    either process writes again: about 0.5 s of system time in that build, but 19 s more for
    100,000 articles (12% of the stage, for a peak of 5.1 GB instead of 6.0 GB). So items too
    few for workers, or more than `MAX_ITEMS_IN_ROUNDS`, are one round."""
    if not makes_rounds(len(items)):
        return [items]
    return [items[len(items) * part // ROUNDS : len(items) * (part + 1) // ROUNDS] for part in range(ROUNDS)]


def makes_rounds(item_count: int) -> bool:
    """Whether `in_rounds` makes rounds of this many items."""
    return ROUNDS * MIN_ITEMS_FOR_PROCESSES <= item_count <= MAX_ITEMS_IN_ROUNDS


def share_count(item_count: int, processes: int) -> int:
    """How many shares `item_count` items are split into for `processes` processes."""
    return max(4 * processes, -(-item_count // MAX_SHARE_ITEMS))


_inherited: Any = None


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def map_shares(work: Callable[[Any, int, int], R], shared: Any, item_count: int, jobs: int, done: Callable[[int], None] | None = None) -> list[R]:
    """Run `work(shared, share, shares)` for each share; each call handles items[share::shares]."""
    return map_shares_alongside(work, shared, item_count, jobs, lambda: None, done=done)[0]


def map_shares_alongside(
    work: Callable[[Any, int, int], R], shared: Any, item_count: int, jobs: int, meanwhile: Callable[[], M], meanwhile_items: int = 0,
    done: Callable[[int], None] | None = None,
) -> tuple[list[R], M]:  # fmt: skip
    """`map_shares`, and `meanwhile()` run in this process while the workers work (after the
    shares when there are no workers). `meanwhile_items`: how much work `meanwhile` is, in
    items as long as the shares' (when it is enough, a worker takes the shares however few
    they are, so that both run at once). Returns both results, the shares' in share order."""
    processes = max(1, min(jobs, (item_count + meanwhile_items) // (MIN_ITEMS_FOR_PROCESSES // 2) or 1))
    if processes == 1 or "fork" not in multiprocessing.get_all_start_methods():
        return _shares_here(work, shared, item_count, done), meanwhile()
    shares = share_count(item_count, processes)
    with _workers_on(work, shared, processes - 1, shares) as futures:
        if done is not None:
            for share, future in enumerate(futures):
                future.add_done_callback(partial(_tell_done, done, share_size(item_count, share, shares)))
        alongside = meanwhile()
        done_here = _take_unstarted_shares(futures, work, shared, item_count, done)
        return [done_here[share] if share in done_here else futures[share].result() for share in range(shares)], alongside


def map_shares_while(work: Callable[[Any, int, int], R], shared: Any, item_count: int, jobs: int, meanwhile: Callable[[], M]) -> tuple[dict[int, R], M]:
    """Shares of `work` done by `jobs - 1` workers for as long as `meanwhile()` runs in this
    process, and no longer: the shares no worker holds by then (see `MAX_SHARE_ITEMS`) are left
    undone, and the caller does their items later, with other work. For cores that would
    otherwise wait while this process works alone. Returns share -> result of each share done
    (none without workers: one job, few items, no fork), and what `meanwhile` returned."""
    if jobs < 2 or item_count < MIN_ITEMS_FOR_PROCESSES or "fork" not in multiprocessing.get_all_start_methods():
        return {}, meanwhile()
    shares = share_count(item_count, jobs)
    with _workers_on(work, shared, jobs - 1, shares) as futures:
        alongside = meanwhile()
        for future in futures:
            future.cancel()  # fails for the shares a worker holds: they are waited for
        return {share: future.result() for share, future in enumerate(futures) if not future.cancelled()}, alongside


@contextmanager
def _workers_on(work: Callable[[Any, int, int], R], shared: Any, workers: int, shares: int) -> Iterator[list[Future]]:
    """`workers` forked processes taking the shares of `work` in order; yields each share's
    future. On an error in the block, the shares not started are dropped and those a worker
    holds are waited for (a share is small), so that no worker still writes when the caller
    cleans up after the error (Ctrl-C, a template error): a second shutdown, the one of the
    `with`, would not wait once a first one has not."""
    global _inherited
    _inherited = (work, shared)
    try:
        context = multiprocessing.get_context("fork")
        _parent_death_signal()  # see there
        _quiet_pool_threads_when_workers_die()
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_as_a_worker, initargs=(os.getpid(),)) as pool:
            with _signals_held():  # the first submit forks the workers
                futures = [pool.submit(_run_share, share, shares) for share in range(shares)]
            try:
                yield futures
            except BaseException:
                _shut_down(pool)
                raise
    finally:
        _inherited = None


def _shut_down(pool: ProcessPoolExecutor) -> None:
    """`pool.shutdown(wait=True, cancel_futures=True)`, which could wait for ever: Ctrl-C ends a
    worker wherever it is, perhaps between the two writes of a large result (its length, then
    its bytes), and the pool's thread then waits for the rest, the pipe held open by this
    process's own end for writing. So the workers are waited for (they finish the shares they
    hold, or have ended), and that end is then closed: the thread reads the pipe's end, and
    stops. Through attributes of the pool that Python does not document (those of 3.11 to
    3.13); a pool without them gets its own shutdown."""
    try:
        processes, thread = list((pool._processes or {}).values()), pool._executor_manager_thread
        results_end = pool._result_queue._writer if pool._result_queue is not None else None
    except AttributeError:
        pool.shutdown(wait=True, cancel_futures=True)
        return
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.join()
    if results_end is not None:
        results_end.close()
    if thread is not None:
        thread.join()


def _take_unstarted_shares(
    futures: list[Future], work: Callable[[Any, int, int], R], shared: Any, item_count: int, done: Callable[[int], None] | None
) -> dict[int, R]:
    """Run here every share no worker has started, from the last one back (the workers take
    them from the first on), until the two meet. Returns share -> result."""
    results: dict[int, R] = {}
    shares = len(futures)
    for share in reversed(range(shares)):
        if not futures[share].cancel():  # a worker has it: so has one every share before it
            break
        results[share] = work(shared, share, shares)
        if done is not None:
            done(share_size(item_count, share, shares))
    return results


def _shares_here(work: Callable[[Any, int, int], R], shared: Any, item_count: int, done: Callable[[int], None] | None) -> list[R]:
    """Every share run in this process: all in one when no one is told how far it has got."""
    shares = share_count(item_count, 1) if done is not None and item_count > MAX_SHARE_ITEMS else 1
    results = []
    for share in range(shares):
        results.append(work(shared, share, shares))
        if done is not None:
            done(share_size(item_count, share, shares))
    return results


def share_size(item_count: int, share: int, shares: int) -> int:
    """How many of `item_count` items share `share` of `shares` holds (items[share::shares])."""
    return len(range(share, item_count, shares))


def _tell_done(done: Callable[[int], None], count: int, future: Future) -> None:
    """A worker's share is finished: say so, unless this process took it (it says so itself)."""
    if not future.cancelled():
        done(count)


def fork_is_safe() -> bool:
    """Whether this process may fork a child that goes on running Python: fork exists here,
    and no other thread (the preview server has several) can hold a lock the child would
    wait for forever."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


class Alongside:
    """`work(*args)` run in a forked process while this one goes on; `result()` waits for
    what it returned (picklable). Without fork, it runs here at once. The process sees this
    one's memory as it was when started (copy on write): what `work` changes stays there.

    Not a daemon by default: should this process end first (a failed build), Python waits for
    it at exit instead of killing it halfway through writing. A `daemon` is killed then
    instead, for work whose result is of no use to anyone else (a listing of files)."""

    def __init__(self, work: Callable[..., R], *args: Any, daemon: bool = False):
        self._value: Any = None
        self._process: Any = None
        if "fork" not in multiprocessing.get_all_start_methods():
            self._value = work(*args)
            return
        context = multiprocessing.get_context("fork")
        self._pipe, child_end = context.Pipe(duplex=False)
        self._process = context.Process(target=_send_result, args=(self._pipe, child_end, work, args), daemon=daemon)
        with _signals_held():
            self._process.start()
        child_end.close()

    def result(self) -> Any:
        """What `work` returned; raises ChildProcessError when its process ended without a
        result (an exception there, or killed)."""
        if self._process is not None:
            process, self._process = self._process, None
            try:
                self._value = self._pipe.recv()
            except EOFError:
                process.join()
                raise ChildProcessError(f"ended with exit code {process.exitcode}") from None
            finally:
                self._pipe.close()
            process.join()
        return self._value


def _send_result(reading_end: Any, pipe: Any, work: Callable[..., Any], args: tuple) -> None:
    _quiet_on_ctrl_c()
    # The child's copy of the end its parent reads from: kept open, a result larger than the
    # pipe's buffer would wait forever for a parent that has gone (a failed build).
    reading_end.close()
    try:
        pipe.send(work(*args))
    except BrokenPipeError:
        pass  # the parent has gone, and with it whoever wanted the result
    finally:
        pipe.close()


def _quiet_on_ctrl_c() -> None:
    """Ctrl-C reaches the workers too: they end at once and silently, and the main process
    (which gets KeyboardInterrupt) says "Stopped." instead of each worker printing a traceback.
    So does `kill` sent to them all. Both were held back while this process was being made
    (see `_signals_held`): one that came meanwhile arrives now, and ends it."""
    for number in _HELD_WHILE_FORKING:
        signal.signal(number, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD_WHILE_FORKING)


_HELD_WHILE_FORKING = {signal.SIGINT, signal.SIGTERM}


@contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C and `kill` held back in this thread while it forks: a child runs this process's
    handlers until it sets its own, and one raising KeyboardInterrupt in the middle of the
    fork's own steps (logging's locks made anew) printed a traceback after "Stopped."."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD_WHILE_FORKING)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@lru_cache(maxsize=1)  # installed once
def _quiet_pool_threads_when_workers_die() -> None:
    """When Ctrl-C ends the workers, the pool's own thread can fail on a share it had already
    cancelled (InvalidStateError, a flaw of concurrent.futures in Python 3.11) and print a
    traceback after "Stopped.". The thread that waits on the pool gets BrokenProcessPool and
    says what matters; that thread's own report is left out."""
    default_hook = threading.excepthook

    def hook(args: threading.ExceptHookArgs) -> None:
        is_pool_thread = type(args.thread).__name__ == "_ExecutorManagerThread"
        if not (is_pool_thread and isinstance(args.exc_value, (InvalidStateError, BrokenProcessPool))):
            default_hook(args)

    threading.excepthook = hook


def _as_a_worker(parent: int) -> None:
    """A pool worker's start: quiet on Ctrl-C, and ended with the thread that started it.
    Killed with `kill` alone (the preview), the main process leaves its workers behind: a
    worker sending a share's result then waits for ever, the pipe held open by its own
    inherited copy of the reading end. Linux can end them instead (other systems: see
    `Alongside` for what waits at exit)."""
    _quiet_on_ctrl_c()
    ask_for_signal = _parent_death_signal()
    if ask_for_signal is not None:
        ask_for_signal(signal.SIGKILL)
        if os.getppid() != parent:  # it ended before the signal was asked for
            os._exit(1)


@lru_cache(maxsize=1)
def _parent_death_signal() -> Callable[[int], None] | None:
    """prctl(PR_SET_PDEATHSIG, signal) on Linux; None elsewhere. Made when a pool is first
    made, before the fork: ctypes takes milliseconds to import, which a build that needs no
    workers (nothing changed) does not pay, and the workers inherit it made."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    return lambda signal_number: prctl(_PR_SET_PDEATHSIG, signal_number)


_PR_SET_PDEATHSIG = 1


def _run_share(share: int, shares: int) -> Any:
    work, shared = _inherited
    return work(shared, share, shares)
