"""The cache of derived images and share cards: one folder per key, filled on both cores, linked into the site.

A key hashes everything that decides the bytes (the source's content, the recipe, the code), so a
rebuild with nothing changed encodes nothing, and a changed photo re-encodes only itself."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass


@dataclass(frozen=True)
class Job:
    """Fill the cache folder of `key` by calling `func(folder, *args)` (a module-level function)."""

    key: str
    func: Callable
    args: tuple
    label: str  # what to name in an error: content/images/x.jpg, or the card of a story
    hint: str = "open it in a photo editor, save it again as JPEG and rebuild"


class CacheError(Exception):
    """A job that failed; the message names the file and how to fix it."""


def folder(cache: str, key: str) -> str:
    return os.path.join(cache, key[:2], key)


def fill(cache: str, jobs: list[Job]) -> list[Job]:
    """Run the jobs whose folder is not in the cache yet; return those that ran."""
    todo = list({job.key: job for job in jobs if not os.path.isdir(folder(cache, job.key))}.values())
    os.makedirs(cache, exist_ok=True)
    if len(todo) > 1:
        with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
            futures = [(job, pool.submit(run, cache, job)) for job in todo]
            failures = [_failure(job, future.exception()) for job, future in futures if future.exception()]
    else:
        failures = []
        for job in todo:
            try:
                run(cache, job)
            except Exception as exc:  # noqa: BLE001 - reported with the file it concerns
                failures.append(_failure(job, exc))
    if failures:
        raise CacheError("\n".join(failures))
    return todo


def run(cache: str, job: Job) -> None:
    # Written aside and renamed: an interrupted build never leaves a half-filled folder behind.
    final = folder(cache, job.key)
    os.makedirs(os.path.dirname(final), exist_ok=True)
    work = tempfile.mkdtemp(prefix=".part-", dir=cache)
    try:
        job.func(work, *job.args)
        os.chmod(work, 0o755)
        os.rename(work, final)
    except OSError:
        if not os.path.isdir(final):
            raise
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _failure(job: Job, exc: BaseException) -> str:
    return f"{job.label}: could not be made for the site ({exc}) — {job.hint}"


def link(source: str, target: str) -> None:
    """Put a cached file into the site: a hard link when the file system allows it, else a copy."""
    os.makedirs(os.path.dirname(target), exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
