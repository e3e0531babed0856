"""Tasks the worker tests queue: each leaves a trace in a file, so the test sees every run."""

import logging
import os
import time
from pathlib import Path

from django_tasks import task

logger = logging.getLogger("tests.worker")


def _append(path, line):
    # O_APPEND: lines written by two processes never mix.
    with open(path, "a") as handle:
        handle.write(line + "\n")


@task()
def note(path, label):
    logger.info("noting %s", label)
    _append(path, f"{label} {os.getpid()}")
    return label


@task()
def slow(path, seconds):
    _append(path, "started")
    time.sleep(seconds)
    _append(path, "done")


@task()
def always_fails(path):
    _append(path, "attempt")
    raise RuntimeError("the mail server said no")


def lines(path):
    file = Path(path)
    return file.read_text().splitlines() if file.exists() else []
