"""Work done ahead, on a core that would otherwise wait: while the build process links the
champions, pillars and pictures to the stories, a forked process works out the related stories
and compiles the theme's templates, and hands both over.

Between the check's last file and the first page the build has one process at work, a few tenths
of a second in which the other cores are idle. The related stories depend only on the stories
just read, and compiling a template only on the template's source and the environment, which a
forked process has exactly as the build does, so both can be done there and taken over: the
related stories as positions in the list of stories, the templates as Jinja's compiled bytecode
(what its BytecodeCache keeps, checked against the template's source when it is loaded). If the
process cannot be started or fails, the build does the work itself, as it did before.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import pickle
import signal
from collections.abc import Callable

from jinja2 import BytecodeCache

logger = logging.getLogger(__name__)


class _Kept(BytecodeCache):
    """Compiled templates kept in a dict (by Jinja's cache key): filled by the process that
    compiles them, read by the build."""

    def __init__(self, codes: dict[str, bytes]):
        self.codes = codes

    def load_bytecode(self, bucket):
        code = self.codes.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket):
        self.codes[bucket.key] = bucket.bytecode_to_string()


class Ahead:
    """Start the work ahead: `stories`' related stories, then the templates of each batch of
    `names` in turn; take it over with `related()`, then `templates()` once per batch."""

    def __init__(self, env, batches: list[list[str]], stories: list, related: Callable[[list], dict]):
        self.env, self.stories = env, stories
        self.pid = None
        self._pipe = None
        self._batches = len(batches)
        self._codes: dict[str, bytes] = {}
        if not hasattr(os, "fork"):
            return
        read, write = os.pipe()
        # The check's thread may still be handing over the last profiles: the forked process
        # only works out the related stories and compiles templates, touching nothing that
        # thread holds, and leaves with os._exit.
        try:
            pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            return
        if pid == 0:
            os.close(read)
            _work(write, env, batches, stories, related)
        os.close(write)
        self.pid, self._pipe = pid, os.fdopen(read, "rb")
        _started.append(self)

    def related(self) -> dict | None:
        """id(story) -> its related stories, as the forked process worked them out (None if it failed)."""
        positions = self._take()
        if positions is None:
            return None
        stories = self.stories
        return {id(stories[i]): [stories[j] for j in others] for i, others in enumerate(positions)}

    def templates(self) -> None:
        """Let the build's environment load the next batch of templates as compiled ahead."""
        codes = self._take()
        self._batches -= 1
        if self._batches <= 0:
            self._end()
        if codes:
            self._codes.update(codes)
            if not isinstance(self.env.bytecode_cache, _Kept):
                self.env.bytecode_cache = _Kept(self._codes)

    def _take(self):
        if self._pipe is None:
            return None
        try:
            return pickle.load(self._pipe)
        except Exception:  # noqa: BLE001 - the process failed: the build does the work itself
            logger.debug("[stem4all] the work ahead was not handed over; the build does it", exc_info=True)
            self._end()
            return None

    def _end(self, stop: bool = False) -> None:
        if self._pipe is not None:
            self._pipe.close()
            self._pipe = None
            if stop:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        if self in _started:
            _started.remove(self)


_started: list[Ahead] = []


def stop_all() -> None:
    """Stop the work ahead that the build did not take over (it stopped before the pages)."""
    for work in list(_started):
        work._end(stop=True)


def _work(pipe: int, env, batches: list[list[str]], stories: list, related: Callable[[list], dict]) -> None:
    """In the forked process: never returns into the build."""
    gc.disable()  # nothing here lives long enough to need collecting
    status = 1
    try:
        with os.fdopen(pipe, "wb") as out:
            found = related(stories)
            where = {id(story): i for i, story in enumerate(stories)}
            pickle.dump([[where[id(o)] for o in found[id(story)]] for story in stories], out,
                        protocol=pickle.HIGHEST_PROTOCOL)
            out.flush()
            for names in batches:
                codes: dict[str, bytes] = {}
                env.bytecode_cache = _Kept(codes)
                for name in names:
                    try:
                        env.get_template(name)
                    except Exception:  # noqa: BLE001 - the build compiles it and reports what is wrong
                        continue
                pickle.dump(codes, out, protocol=pickle.HIGHEST_PROTOCOL)
                out.flush()
        status = 0
    finally:
        os._exit(status)
