"""Pages rendered on every core are the pages one process renders; a failing process fails the build."""

from __future__ import annotations

import logging
import os
import re
import shutil
import zlib

import pytest
from pelican.writers import Writer

from stem4all import writing


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


def test_with_search_the_story_pages_processes_hand_their_cards_to_the_one_writing_the_listings(
        make_site, small_is_enough, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1760000000")
    site = make_site()
    assert site.build(STEM4ALL_SEARCH=True, STEM4ALL_PAGE_PROCESSES=1) == 0
    alone = {f: page for f, page in pages(site).items() if not f.startswith("pagefind/")}
    for kept in site.root.glob(".cache/pelican/*/search"):
        shutil.rmtree(kept)  # so that Pagefind runs again, beside the listings
    monkeypatch.setattr(writing, "BATCH", 1)  # so that each of this site's two story pages has its process
    returned, collect = [], writing._collect
    monkeypatch.setattr(writing, "_collect", lambda pid, read: returned.append(collect(pid, read)) or returned[-1])
    assert site.build(force=True, STEM4ALL_SEARCH=True, STEM4ALL_PAGE_PROCESSES=3) == 0
    # The story pages (two in this site) on two processes, then the rest in this one beside
    # Pagefind: only one other process, which handed over the cards it drew.
    assert [problem for problem, _ in returned] == [""]
    drawn = returned[0][1]
    assert drawn and all('class="s4a-story-card' in card or 'class="s4a-champion-card' in card for card in drawn.values())
    assert {f: page for f, page in pages(site).items() if not f.startswith("pagefind/")} == alone


def test_a_page_that_fails_in_another_process_fails_the_build_and_keeps_the_old_site(make_site, small_is_enough,
                                                                                   monkeypatch, capsys):
    site = make_site()
    assert site.build() == 0
    before = pages(site)
    # A page the second of two processes writes, so the failure happens away from the main process:
    # it starts from the back of page_order, where the Russian pages are (after en and ky).
    target = max((f for f in before if f.startswith("ru/") and f.endswith("index.html")),
                 key=lambda f: (zlib.crc32(f.encode()), f))
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


def test_a_process_that_cannot_take_its_next_pages_fails_the_build(make_site, small_is_enough, monkeypatch, capsys):
    site = make_site()
    assert site.build() == 0
    before = pages(site)
    builder, real_take = os.getpid(), writing._Lanes._take

    def take(self, process):
        # The first pages are set aside in this process; the second process fails when it asks for more.
        if process == 1 and os.getpid() != builder:
            raise OSError("the shared counter is gone")
        return real_take(self, process)

    monkeypatch.setattr(writing._Lanes, "_take", take)
    assert site.build(force=True, STEM4ALL_PAGE_PROCESSES=2) == 1
    err = capsys.readouterr().err
    assert "1 of the 2 processes writing pages failed" in err
    assert "the process stopped before writing all its pages: OSError: the shared counter is gone" in err
    assert "set STEM4ALL_PAGE_PROCESSES = 1 in pelicanconf.py" in err
    assert pages(site) == before


def test_the_number_of_processes_follows_the_setting_the_cores_and_the_size_of_the_site(monkeypatch):
    monkeypatch.setattr(writing.os, "sched_getaffinity", lambda pid: {0, 1})
    assert writing.processes({}, 5000) == 2
    assert writing.processes({"STEM4ALL_PAGE_PROCESSES": 4}, 5000) == 4
    assert writing.processes({"STEM4ALL_PAGE_PROCESSES": 1}, 5000) == 1
    # A small site is written by one process: forking would cost more than it saves.
    assert writing.processes({"STEM4ALL_PAGE_PROCESSES": 4}, writing.PARALLEL_FROM - 1) == 1
    assert writing.processes({"STEM4ALL_PAGE_PROCESSES": 4}, 2 * writing.PARALLEL_FROM) == 2


SETTINGS = {"DEFAULT_LANG": "en", "STEM4ALL_LANGUAGES": {"en": "", "ru": "", "ky": ""}, "STEM4ALL_LANG_PREFIX": "{lang}/"}


def test_pages_are_taken_language_by_language_and_each_path_once():
    names = ([f"ru/tags/t{i}/index.html" for i in range(30)] + [f"stories/s{i}/index.html" for i in range(60)]
             + ["stories/s4/index.html"] + [f"ky/champions/c{i}/index.html" for i in range(30)])
    order = writing.page_order(names, SETTINGS)
    assert len(order) == len(set(names)) == 120
    assert [name.split("/")[0] for name in order[60:]] == ["ky"] * 30 + ["ru"] * 30
    assert order == writing.page_order(list(reversed(names)), SETTINGS)  # the same on every build


@pytest.mark.parametrize("count", [2, 3, 4, 5])
def test_every_page_is_handed_out_once_and_each_process_starts_at_its_own_end(count):
    lanes = writing._Lanes(100, count)
    taken = [list(lanes.pages(process)) for process in range(count)]
    assert sorted(i for pages in taken for i in pages) == list(range(100))
    # A process's first pages are set aside before any starts: the last process, if it has a partner,
    # works from the back of their stretch, so the very last page is in its first batch.
    first = taken[-1][:writing.BATCH]
    assert 99 in first if count % 2 == 0 else first[0] == 100 * (count - 1) // count
    assert all(taken)
