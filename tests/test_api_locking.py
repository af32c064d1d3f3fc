"""The API's read/write lock: readers share, a writer waits for readers and excludes them."""

from __future__ import annotations

import threading
import time

from api.locking import ReadWriteLock


def test_readers_share_and_a_writer_waits_for_them():
    lock = ReadWriteLock()
    events: list[str] = []
    reading = threading.Event()

    def writer():
        reading.wait()
        with lock.writing():
            events.append("write")

    thread = threading.Thread(target=writer)
    thread.start()
    with lock.reading(), lock.reading():  # two readers at once do not block each other
        reading.set()
        time.sleep(0.05)
        events.append("read done")
    thread.join(timeout=5)
    assert events == ["read done", "write"]


def test_a_reader_waits_for_the_writer():
    lock = ReadWriteLock()
    events: list[str] = []
    writing = threading.Event()

    def reader():
        writing.wait()
        with lock.reading():
            events.append("read")

    thread = threading.Thread(target=reader)
    thread.start()
    with lock.writing():
        writing.set()
        time.sleep(0.05)
        events.append("write done")
    thread.join(timeout=5)
    assert events == ["write done", "read"]
