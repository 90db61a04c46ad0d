"""A worker process that calls one picklable object's method on batches of arguments, in order, while the caller
goes on.

`python -m accord.background` is the worker: it reads a pickled `(target, method name)` from stdin, then pickled
batches, and writes one pickled `("ok", results)` or `("error", message)` per batch to stdout. A plain child process
rather than multiprocessing's spawn, which re-runs the caller's main script in the child (a script without an
`if __name__ == "__main__"` guard would start its own run there).
"""

from __future__ import annotations

import os
import pickle
import queue
import subprocess
import sys
import threading
from collections.abc import Iterable
from typing import Any, Self


class WorkerError(RuntimeError):
    """The worker process failed or died before handing back a batch."""


class BatchWorker:
    """Runs `getattr(target, method)(*args)` for every argument tuple of every batch in a child process.

    Batches are given at the start (`batches`, then no more) or one at a time with `submit`, which returns the
    batch's number; `end()` says no more will come. `results(k)` waits for batch k's list of results. The batches are
    sent and the results received by two threads of this process, so the worker never waits on a full pipe.
    `close()` stops the worker. `niceness` lowers the worker's scheduling priority (os.nice): at 19 it runs on the
    cores the caller leaves idle.
    """

    def __init__(
        self,
        target: Any,
        method: str,
        batches: Iterable[list[Any]] | None = None,
        niceness: int = 0,
    ) -> None:
        self._lock = threading.Lock()
        self._outbox: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._results: list[Any] = []
        self._ready: list[threading.Event] = []
        self._failure = ""  # once set, every batch not handed back fails with it, and so does any later one
        self._ended = False
        self._send_error = ""
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p), ACCORD_WORKER_NICE=str(niceness))
        self._child = subprocess.Popen(
            [sys.executable, "-m", "accord.background"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        self._sender = threading.Thread(target=self._send, args=(target, method), daemon=True)
        self._receiver = threading.Thread(target=self._receive, daemon=True)
        self._sender.start()
        self._receiver.start()
        if batches is not None:
            for batch in batches:
                self.submit(batch)
            self.end()

    def submit(self, batch: list[Any]) -> int:
        """Queue one batch (a list of argument tuples) for the worker; return its number for `results`."""
        with self._lock:
            if self._ended:
                raise RuntimeError("no batch can be submitted after end()")
            k = len(self._results)
            self._results.append(None)
            self._ready.append(threading.Event())
            if self._failure:
                self._results[k] = WorkerError(self._failure)
                self._ready[k].set()
                return k
        self._outbox.put(batch)
        return k

    def end(self) -> None:
        """Say that no more batches will be submitted: the worker exits after the last one."""
        with self._lock:
            if not self._ended:
                self._ended = True
                self._outbox.put(_END)

    def _send(self, target: Any, method: str) -> None:
        assert self._child.stdin is not None
        try:
            pickle.dump((target, method), self._child.stdin)
            self._child.stdin.flush()
            while (batch := self._outbox.get()) is not _END:
                pickle.dump(batch, self._child.stdin)
                self._child.stdin.flush()
                del batch  # sent: its arguments need not wait here any more
            self._child.stdin.close()
        except (BrokenPipeError, OSError, ValueError):
            pass  # the worker died or was closed: _receive records it
        except Exception as error:  # a batch that does not pickle: the worker ends after the batches sent before it
            self._send_error = f"could not send work to the worker: {type(error).__name__}: {error}"
            try:
                self._child.stdin.close()
            except OSError:
                pass

    def _receive(self) -> None:
        assert self._child.stdout is not None
        k = 0
        while True:
            try:
                status, payload = pickle.load(self._child.stdout)
            except (EOFError, pickle.UnpicklingError, OSError, ValueError) as error:
                self._fail(k, self._send_error or f"the worker process ended ({self._child.wait()}): {error}")
                return
            if status != "ok":
                self._fail(k, str(payload))
                return
            with self._lock:
                self._results[k] = payload
                self._ready[k].set()
            k += 1

    def _fail(self, first: int, message: str) -> None:
        with self._lock:
            self._failure = message
            for k in range(first, len(self._results)):
                self._results[k] = WorkerError(message)
                self._ready[k].set()

    def ready(self, k: int) -> bool:
        """Return whether batch k's results (or its failure) are back, without waiting."""
        return self._ready[k].is_set()

    def results(self, k: int) -> list[Any]:
        """Return batch k's results; raises WorkerError if the worker failed before handing them back."""
        self._ready[k].wait()
        value = self._results[k]
        self._results[k] = None
        if isinstance(value, WorkerError):
            raise value
        return value

    def close(self) -> None:
        """Stop the worker and wait for it to exit."""
        self.end()
        if self._child.poll() is None:
            self._child.kill()
        self._child.wait()
        self._receiver.join(timeout=5)
        self._sender.join(timeout=5)
        for stream in (self._child.stdin, self._child.stdout):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass


# What tells the sender thread that no more batches come
_END = object()


class OwnsWorker:
    """Base of the objects that own a BatchWorker (`_worker`, None once stopped): a context manager whose leaving, or
    close(), stops the worker."""

    _worker: Any = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the worker (what it had not handed back is dropped)."""
        if self._worker is not None:
            self._worker.close()
            self._worker = None


def _serve() -> None:
    """The worker's loop: apply the target's method to each batch from stdin and write the results to stdout."""
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    niceness = int(os.environ.pop("ACCORD_WORKER_NICE", "0") or 0)
    if niceness and hasattr(os, "nice"):
        try:
            os.nice(niceness)
        except OSError:
            pass  # the worker runs at the caller's priority
    sys.stdout = sys.stderr  # anything the target prints must not corrupt the result stream
    failure = ""
    try:
        target, method = pickle.load(source)
        apply = getattr(target, method)
    except Exception as error:  # every batch is answered with the reason
        failure = f"{type(error).__name__}: {error}"
    while True:
        try:
            batch = pickle.load(source)
        except (EOFError, pickle.UnpicklingError):  # the end, or a batch cut short by the sender's failure
            return
        try:
            if failure:
                raise WorkerError(failure)
            reply: tuple[str, Any] = ("ok", [apply(*args) for args in batch])
        except Exception as error:  # handed back: the caller decides what to do
            reply = ("error", f"{type(error).__name__}: {error}")
        pickle.dump(reply, sink)
        sink.flush()


if __name__ == "__main__":
    _serve()
