"""The real content/ builds, and the sample campaign has what the foundation promised."""

import re

import pytest

from conftest import ROOT, Site


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    site = Site(tmp_path_factory.mktemp("real"))
    site.content = ROOT / "content"
    assert site.build() == 0
    return site


def test_real_content_builds_every_page_kind(real):
    files = real.files()
    stories = [f for f in files if re.fullmatch(r"(\w\w/)?stories/[^/]+/index\.html", f)]
    champions = [f for f in files if re.fullmatch(r"champions/[^/]+/index\.html", f)]
    countries = [f for f in files if re.fullmatch(r"countries/[^/]+/index\.html", f)]
    pillars = [f for f in files if re.fullmatch(r"pillars/[^/]+/index\.html", f)]
    assert len(stories) >= 12 and len(champions) >= 8 and len(countries) >= 4
    assert sorted(pillars) == [f"pillars/{p}/index.html" for p in sorted(
        ["communications", "research", "project-activities", "opportunities-for-girls"])]
    assert sum(f.startswith("ru/stories/") for f in stories) >= 2
    assert sum(f.startswith("ky/stories/") for f in stories) >= 1


def test_real_sample_pages_say_they_are_fictional(real):
    for rel in real.files():
        if rel.startswith(("stories/", "champions/")) and rel.count("/") == 2:
            assert "s4a-notice--sample" in real.page(rel), rel


def test_real_names_in_cyrillic_and_azerbaijani_latin_render(real):
    champions = real.page("champions/index.html")
    assert "Гульнара" in champions and "Gülşən Əliyeva" in champions
