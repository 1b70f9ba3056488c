"""Shared fixtures: copy a small content folder to tmp_path and build it with Pelican in-process."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
sys.path.insert(0, str(ROOT / "plugins"))

from stem4all import build as site  # noqa: E402
from stem4all import writing  # noqa: E402


class Site:
    """A content folder in a temporary project, with helpers to check and build it."""

    def __init__(self, root: Path):
        self.root = root
        self.content = root / "content"
        self.output = root / "output"

    def settings(self, conf="pelicanconf.py", **overrides):
        overrides.setdefault("PATH", str(self.content))
        overrides.setdefault("OUTPUT_PATH", str(self.output))
        overrides.setdefault("CACHE_PATH", str(self.root / ".cache" / "pelican"))
        overrides.setdefault("STEM4ALL_IMAGE_CACHE", str(self.root / ".cache" / "images"))
        overrides.setdefault("THEME", str(ROOT / "theme"))
        overrides.setdefault("PLUGIN_PATHS", [str(ROOT / "plugins")])
        return site.load(str(ROOT / conf), **overrides)

    def write(self, rel: str, text: str) -> Path:
        path = self.content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def check(self, **overrides):
        cwd = os.getcwd()
        os.chdir(self.root)
        try:
            problems, _ = site.check(self.settings(**overrides), root=str(self.root))
        finally:
            os.chdir(cwd)
        return [str(p) for p in problems]

    def build(self, conf="pelicanconf.py", force=False, **overrides) -> int:
        cwd = os.getcwd()
        os.chdir(self.root)
        try:
            return site.build(self.settings(conf, **overrides), force=force)
        finally:
            os.chdir(cwd)

    def page(self, rel: str) -> str:
        return (self.output / rel).read_text(encoding="utf-8")

    def files(self) -> list[str]:
        return sorted(str(p.relative_to(self.output)) for p in self.output.rglob("*") if p.is_file())


@pytest.fixture
def make_site(tmp_path):
    """make_site('site') copies tests/fixtures/site into a fresh project in tmp_path."""

    def make(name: str = "site") -> Site:
        root = tmp_path / "project"
        shutil.copytree(FIXTURES / name, root / "content")
        return Site(root)

    return make


@pytest.fixture
def small_is_enough(monkeypatch):
    """Split even a small site's pages between processes."""
    monkeypatch.setattr(writing, "PARALLEL_FROM", 1)


@pytest.fixture
def built_site(make_site):
    s = make_site()
    assert s.build() == 0
    return s
