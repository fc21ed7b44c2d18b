"""Run a pure computation with a deadline, and abandon it when the deadline passes.

The broker wraps its pact diff in Ruby's `Timeout.timeout(pact_content_diff_timeout)` and answers 408
when it fires. Python cannot interrupt a function from the outside in the same thread, so
`call_with_deadline` runs it in a worker thread and waits. When the deadline passes, the caller gets
`DeadlineExceeded` at once and the worker is stopped: an asynchronous exception
(`PyThreadState_SetAsyncExc`) is raised in it at its next bytecode, so an abandoned diff does not keep
a CPU busy after the 408 (a long C call, e.g. parsing a huge JSON document, finishes first).

Only for pure functions: the worker has no database connection of the request, and an interrupted
function must leave nothing half-done that anybody else sees.
"""

import ctypes
import threading


class DeadlineExceeded(Exception):
    def __init__(self, seconds: float):
        super().__init__(f"not finished within {seconds:g} seconds")
        self.seconds = seconds


class _Abandoned(BaseException):
    """Raised inside the worker to stop it (a BaseException, so `except Exception` does not catch it)."""


def _interrupt(thread: threading.Thread) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident), ctypes.py_object(_Abandoned))


def call_with_deadline(fn, *args, seconds: float, name: str = "deadline-worker"):
    """`fn(*args)`, or DeadlineExceeded after `seconds` (the worker is interrupted and abandoned).

    Exceptions raised by `fn` are re-raised in the caller.
    """
    lock = threading.Lock()
    state = {"finished": False, "abandoned": False, "result": None, "error": None}
    done = threading.Event()

    def run():
        try:
            try:
                result, error = fn(*args), None
            except _Abandoned:
                raise
            except BaseException as exc:  # handed to the caller
                result, error = None, exc
            with lock:
                if not state["abandoned"]:
                    state.update(finished=True, result=result, error=error)
            done.set()
        except _Abandoned:
            pass  # the caller has given up on us

    worker = threading.Thread(target=run, name=name, daemon=True)
    worker.start()
    done.wait(seconds)
    with lock:
        if not state["finished"]:
            # Under the lock, so the worker cannot be between "finished" and exiting: the exception
            # lands in `fn` (or at the latest in `done.set()`), inside the worker's own try.
            state["abandoned"] = True
            _interrupt(worker)
            raise DeadlineExceeded(seconds)
    if state["error"] is not None:
        raise state["error"]
    return state["result"]
