"""Pages rendered on every core are the pages one process renders; a failing process fails the build."""

from __future__ import annotations

import logging
import re

import pytest
from pelican.writers import Writer

from stem4all import writing


@pytest.fixture
def small_is_enough(monkeypatch):
    """Split even a small site's pages between processes."""
    monkeypatch.setattr(writing, "PARALLEL_FROM", 1)


def pages(site) -> dict[str, bytes]:
    return {f: (site.output / f).read_bytes() for f in site.files()}


def test_pages_written_by_three_processes_are_byte_for_byte_those_of_one(make_site, small_is_enough, monkeypatch,
                                                                         caplog):
    caplog.set_level(logging.INFO, logger="stem4all.writing")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1760000000")
    site = make_site()
    assert site.build(STEM4ALL_PAGE_PROCESSES=1) == 0
    alone = pages(site)
    assert re.search(r"\d+ pages written by 1 process$", caplog.text, re.M)
    assert site.build(force=True, STEM4ALL_PAGE_PROCESSES=3) == 0
    assert re.search(r"\d+ pages written by 3 processes$", caplog.text, re.M)
    assert pages(site) == alone
    assert "stories/air/index.html" in alone and "ru/index.html" in alone


def test_a_page_that_fails_in_another_process_fails_the_build_and_keeps_the_old_site(make_site, small_is_enough,
                                                                                   monkeypatch, capsys):
    site = make_site()
    assert site.build() == 0
    before = pages(site)
    # A page the second of two processes writes: the failure happens away from the main process.
    target = next(f for f in before if f.endswith("index.html") and writing.share_of(f, 2) == 1)
    real = Writer.write_file

    def broken(self, name, *args, **kwargs):
        if name == target:
            raise RuntimeError(f"template error on {name}")
        return real(self, name, *args, **kwargs)

    monkeypatch.setattr(Writer, "write_file", broken)
    assert site.build(force=True, STEM4ALL_PAGE_PROCESSES=2) == 1
    err = capsys.readouterr().err
    assert "1 of the 2 processes writing pages failed" in err
    assert f"{target}: RuntimeError: template error on {target}" in err
    assert "The site was not built; the previous output is unchanged." in err
    assert pages(site) == before


def test_the_number_of_processes_follows_the_setting_the_cores_and_the_size_of_the_site(monkeypatch):
    monkeypatch.setattr(writing.os, "sched_getaffinity", lambda pid: {0, 1})
    assert writing.processes({}, 5000) == 2
    assert writing.processes({"STEM4ALL_PAGE_PROCESSES": 4}, 5000) == 4
    assert writing.processes({"STEM4ALL_PAGE_PROCESSES": 1}, 5000) == 1
    # A small site is written by one process: forking would cost more than it saves.
    assert writing.processes({"STEM4ALL_PAGE_PROCESSES": 4}, writing.PARALLEL_FROM - 1) == 1
    assert writing.processes({"STEM4ALL_PAGE_PROCESSES": 4}, 2 * writing.PARALLEL_FROM) == 2
