"""Run work in a child process with a time limit, optionally cut off from the network.

This is the project's one time-limit mechanism: :func:`run_within` forks a child, waits for its
answer until the deadline and kills it then, so nothing the work does (a runaway query, a store
that sends one byte every few seconds) can outlast the limit. The query endpoint's workers use
:func:`isolate` and :func:`limit_memory` the same way, and are killed at their limit too.

Isolation moves the child into an empty network namespace (Linux ``unshare``), where no address,
local or remote, can be reached whatever a query says. It needs root or unprivileged user
namespaces; where neither is available the query guard (:mod:`calcinosis_kg.sparql.guard`) is
the only barrier.

>>> run_within(5, divmod, 7, 2)
(3, 1)
>>> run_within(5, int, "x")
Traceback (most recent call last):
...
ValueError: invalid literal for int() with base 10: 'x'
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable
from typing import Any, TypeVar

from .errors import CalcinosisKGError

__all__ = ["TimeLimitError", "isolate", "limit_memory", "network_isolation_available", "run_within"]

T = TypeVar("T")
_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000


class TimeLimitError(CalcinosisKGError):
    """The work ran past its time limit and was stopped (exit code 2)."""


def run_within(
    seconds: float | None,
    work: Callable[..., T],
    *args: Any,
    isolated: bool = False,
    what: str = "the work",
    hint: str = "raise --timeout",
) -> T:
    """``work(*args)`` in a forked child, stopped after ``seconds`` (None: no limit).

    Its result or its exception comes back; past the limit, :class:`TimeLimitError`. With
    ``isolated`` the child has no network. Where fork is missing (not Linux or macOS), the work
    runs in this process without a limit.
    """
    try:
        context = multiprocessing.get_context("fork")
    except ValueError:
        return work(*args)
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, isolated, work, args), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            raise TimeLimitError(f"{what} ran out of time ({seconds:g} s) and was stopped; {hint}")
        ok, payload = receiver.recv()
    except EOFError:
        child.join()
        why = " (out of memory)" if child.exitcode == -signal.SIGABRT else ""
        raise CalcinosisKGError(f"{what} stopped without an answer{why}") from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    if not ok:
        raise payload
    return payload


def _child(sender, isolated: bool, work: Callable, args: tuple) -> None:
    if isolated:
        isolate()
    try:
        answer = (True, work(*args))
    except Exception as exc:
        answer = (False, exc)
    try:
        sender.send(answer)
    except Exception as exc:  # an answer or exception that cannot be pickled
        sender.send((False, CalcinosisKGError(f"{type(exc).__name__}: {exc}")))
    sender.close()


@functools.cache
def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    except OSError:
        return None


def network_isolation_available() -> bool:
    """Whether this platform offers network namespaces at all (Linux).

    >>> isinstance(network_isolation_available(), bool)
    True
    """
    libc = _libc()
    return libc is not None and hasattr(libc, "unshare")


def isolate() -> bool:
    """Move this process into an empty network namespace; True when that worked.

    Call it in a process of its own (it cannot be undone), while it has a single thread.
    """
    libc = _libc()
    if libc is None:
        return False
    flag = _CLONE_NEWNET if os.geteuid() == 0 else _CLONE_NEWUSER | _CLONE_NEWNET
    return bool(libc.unshare(flag) == 0)


def limit_memory(max_bytes: int | None) -> None:
    """Cap the memory this process may allocate (its data segment), so work that grows
    without bound fails instead of taking the machine."""
    if not max_bytes:
        return
    try:
        import resource
    except ImportError:  # not on this platform
        return
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    limit = max_bytes if hard == resource.RLIM_INFINITY else min(max_bytes, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))
