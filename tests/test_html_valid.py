"""Every page kind of the real site is valid HTML by the current W3C Nu checker (npm vnu-jar, run with Java)."""

import json
import os
import shutil
import subprocess

import pytest

from conftest import ROOT, Site

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def need(condition, message):
    if condition:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def test_every_page_kind_is_valid_html(tmp_path):
    need(shutil.which("java"), "Java is not installed — install Debian's package: apt-get install default-jre-headless")
    need(VNU.exists(), "the Nu HTML checker is not installed — run: npm ci (it installs vnu-jar from package-lock.json)")
    site = Site(tmp_path)
    site.content = ROOT / "content"
    assert site.build() == 0
    pages = [site.output / rel for rel in site.files() if rel.endswith(".html")]
    result = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, pages)],
                            capture_output=True, text=True)
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    problems = [f"{m['url'].split('/output/')[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages]
    assert problems == [], "\n".join(problems[:20])
