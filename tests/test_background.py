"""The worker process of accord.background: batches given one at a time, in order, and failures that reach every
batch not handed back, including those submitted later."""

from __future__ import annotations

import pytest

from accord.background import BatchWorker, WorkerError


def test_batches_submitted_one_at_a_time_come_back_in_order():
    worker = BatchWorker("text", "upper")
    try:
        assert worker.submit([()]) == 0
        assert worker.results(0) == ["TEXT"]  # answered before the next batch exists
        numbers = [worker.submit([()] * n) for n in (1, 3, 2)]
        assert numbers == [1, 2, 3]
        worker.end()
        assert [worker.results(k) for k in numbers] == [["TEXT"], ["TEXT"] * 3, ["TEXT"] * 2]
        with pytest.raises(RuntimeError, match="after end"):
            worker.submit([()])
    finally:
        worker.close()


def test_a_dead_worker_fails_the_batches_it_did_not_answer_and_any_submitted_after():
    worker = BatchWorker("text", "upper")
    try:
        assert worker.results(worker.submit([()])) == ["TEXT"]
        worker._child.kill()
        with pytest.raises(WorkerError, match="the worker process ended"):
            worker.results(worker.submit([()]))
        later = worker.submit([()])
        assert worker.ready(later)
        with pytest.raises(WorkerError):
            worker.results(later)
    finally:
        worker.close()


def test_closing_a_worker_that_still_waits_for_batches_stops_it():
    worker = BatchWorker("text", "upper")
    assert worker.results(worker.submit([()])) == ["TEXT"]
    worker.close()
    assert worker._child.poll() is not None
    assert not worker._sender.is_alive()
