"""Related stories and previous/next: the indexed version picks exactly what comparing every pair did."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from stem4all.profiles import link_neighbours


def oracle(stories, pillars, related_count=3):
    """The original implementation (every story scored against every other), kept as the reference."""
    for story in stories:
        def score(other):
            return (3 * len(set(story.champion_slugs) & set(other.champion_slugs))
                    + 2 * len(set(story.pillar_slugs) & set(other.pillar_slugs))
                    + len({t.slug for t in getattr(story, "tags", [])} & {t.slug for t in getattr(other, "tags", [])}))

        ranked = sorted((o for o in stories if o is not story and score(o)), key=lambda o: (-score(o), -o.date.timestamp(), o.slug))
        story.related = ranked[:related_count]
        home = pillars.get(story.pillar_slugs[0]) if story.pillar_slugs else None
        siblings = home.stories if home else []
        i = siblings.index(story) if story in siblings else -1
        story.newer = siblings[i - 1] if i > 0 else None
        story.older = siblings[i + 1] if 0 <= i < len(siblings) - 1 else None
        story.home_pillar = home
        for t in story.translations:
            t.related, t.newer, t.older, t.home_pillar = story.related, story.newer, story.older, home


def campaign(seed: int, n: int):
    """n stories with few champions, pillars, tags and dates, so that scores and dates tie often."""
    rng = random.Random(seed)
    champions = [f"c{i}" for i in range(max(2, n // 6))]
    pillar_slugs = ["communications", "research", "project-activities", "opportunities-for-girls"]
    tags = [SimpleNamespace(slug=f"t{i}") for i in range(6)]
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    stories = []
    for i in range(n):
        stories.append(SimpleNamespace(
            slug=f"s{rng.randrange(10 ** 6):06d}-{i}",
            champion_slugs=rng.sample(champions, rng.choice([1, 1, 1, 2])),
            pillar_slugs=rng.sample(pillar_slugs, rng.choice([0, 1, 1, 1, 2, 3])),
            tags=rng.sample(tags, rng.randrange(4)),
            date=start + timedelta(days=rng.randrange(8)),
            translations=[SimpleNamespace()] if rng.random() < 0.2 else [],
        ))
    stories.sort(key=lambda s: (s.date, s.slug), reverse=True)
    pillars = {slug: SimpleNamespace(slug=slug, stories=[s for s in stories if slug in s.pillar_slugs])
               for slug in pillar_slugs}
    return stories, pillars


def links(stories):
    """What the pages show, by slug, for every story and translation."""
    def slug(s):
        return s.slug if s is not None else None

    return [(s.slug, [r.slug for r in s.related], slug(s.newer), slug(s.older), slug(s.home_pillar),
             [([r.slug for r in t.related], slug(t.newer), slug(t.older)) for t in s.translations])
            for s in stories]


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("count", [1, 3, 5])
def test_related_stories_are_the_same_as_comparing_every_pair(seed, count):
    expected, pillars = campaign(seed, 60 + 20 * seed)
    oracle(expected, pillars, count)
    actual, pillars = campaign(seed, 60 + 20 * seed)
    link_neighbours(actual, pillars, count)
    mismatches = [(a, e) for a, e in zip(links(actual), links(expected)) if a != e]
    assert not mismatches, f"{len(mismatches)} stories differ, the first: {mismatches[0]}"


def test_a_story_sharing_nothing_has_no_related_stories():
    stories, pillars = campaign(0, 2)
    stories[0].champion_slugs, stories[0].pillar_slugs, stories[0].tags = ["a"], [], []
    stories[1].champion_slugs, stories[1].pillar_slugs, stories[1].tags = ["b"], [], []
    link_neighbours(stories, {}, 3)
    assert stories[0].related == [] and stories[1].related == []
