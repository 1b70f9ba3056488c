"""The content contract, written once: it drives validation, the reader and the story template."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    required: bool = False
    help: str = ""
    translatable: bool = False


@dataclass(frozen=True)
class Schema:
    kind: str
    folder: str
    fields: tuple[Field, ...]
    body: str = ""
    by_name: dict[str, Field] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "by_name", {f.name: f for f in self.fields})

    @property
    def required(self):
        return [f.name for f in self.fields if f.required]


# kinds: text, plain (text without markup, max length in validation), slugs, date,
# consent (must be true), bool, int, image, alt, words, links, url, status, color,
# names, lang, slug, country, aliases, youtube
STORY = Schema(
    kind="story",
    folder="stories",
    body="The story itself, in Markdown.",
    fields=(
        Field("title", "text", True, "The headline of the story.", True),
        Field("champions", "slugs", True, "The champion's file name without .md, or a list of them."),
        Field("pillars", "slugs", True, "One or more of: communications, research, project-activities, opportunities-for-girls."),
        Field("date", "date", True, "Publication date, YYYY-MM-DD or YYYY-MM-DD HH:MM; a future date keeps the story hidden until then."),
        Field("summary", "plain", True, "One or two plain sentences, at most 300 characters.", True),
        Field("consent", "consent", True, "true: everyone named in the story agreed to its publication."),
        Field("lang", "lang", False, "Language code; must agree with the file name (x.ru.md is ru)."),
        Field("slug", "slug", False, "The address of the story; defaults to the file name."),
        Field("country", "country", False, "Country of the story; defaults to the first champion's country."),
        Field("cover", "image", False, "A picture under content/images/, e.g. images/lab.jpg."),
        Field("cover_alt", "alt", False, "What the cover picture shows, for readers who cannot see it.", True),
        Field("cover_credit", "text", False, "Photographer and licence of the cover.", True),
        Field("quote", "plain", False, "A short sentence from the story to show large.", True),
        Field("tags", "words", False, "A list of words, e.g. [robotics, mentorship]."),
        Field("featured", "bool", False, "true puts the story on the Day of the Girl campaign page."),
        Field("status", "status", False, "published (the default) or draft."),
        Field("updated", "date", False, "Date of a correction."),
        Field("aliases", "aliases", False, "Old addresses of this story, e.g. [/stories/old-name/]."),
        Field("video", "youtube", False, "A YouTube link; it loads only when the reader clicks."),
        Field("sample", "bool", False, "true for fictional sample content."),
    ),
)

CHAMPION = Schema(
    kind="champion",
    folder="champions",
    body="Her biography, in Markdown.",
    fields=(
        Field("name", "text", True, "Her name as she wants it shown.", True),
        Field("country", "country", True, "The country she works in, e.g. Kyrgyzstan."),
        Field("role", "text", True, "What she does, e.g. Robotics engineer.", True),
        Field("consent", "consent", True, "true: she agreed to her profile being published."),
        Field("lang", "lang", False, "Language code; must agree with the file name."),
        Field("slug", "slug", False, "The address of her profile; defaults to the file name."),
        Field("organisation", "text", False, "Where she works or studies.", True),
        Field("photo", "image", False, "A picture under content/images/."),
        Field("photo_alt", "alt", False, "What the photo shows.", True),
        Field("photo_credit", "text", False, "Photographer and licence of the photo.", True),
        Field("links", "links", False, "A list of {label, url}."),
        Field("minor", "bool", False, "true if she is under 18."),
        Field("guardian_consent", "bool", False, "true: a parent or guardian agreed to publication."),
        Field("guardian_consent_photo", "bool", False, "true: a parent or guardian agreed to publishing her photo."),
        Field("sample", "bool", False, "true for fictional sample content."),
    ),
)

PILLAR = Schema(
    kind="pillar",
    folder="pillars",
    body="What the working group does, in Markdown.",
    fields=(
        Field("title", "text", True, "The name of the working group.", True),
        Field("summary", "plain", True, "One or two plain sentences.", True),
        Field("order", "int", True, "Its place in lists: 1, 2, 3 …"),
        Field("lang", "lang", False, "Language code; must agree with the file name."),
        Field("slug", "slug", False, "Defaults to the file name."),
        Field("co_chairs", "names", False, "A list of names.", True),
        Field("join_url", "url", False, "Where to sign up for the working group."),
        Field("color", "color", False, "A dark colour such as \"#1f5fa8\" (white text must be readable on it)."),
    ),
)

PAGE = Schema(
    kind="page",
    folder="pages",
    body="The text of the page, in Markdown.",
    fields=(
        Field("title", "text", True, "The heading of the page.", True),
        Field("summary", "plain", False, "One sentence for link previews and search engines.", True),
        Field("lang", "lang", False, "Language code; must agree with the file name."),
        Field("slug", "slug", False, "The address of the page; defaults to the file name."),
    ),
)

SCHEMAS = {s.folder: s for s in (STORY, CHAMPION, PILLAR, PAGE)}
SUMMARY_MAX = 300
