"""Pelican reader for our Markdown: YAML front matter read by the schema, bodies made safe."""

from __future__ import annotations

import copy
import html
import os

from pelican.readers import BaseReader
from pelican.urlwrappers import Category, Tag
from pelican.utils import SafeDatetime

from . import contentcache, fields, markup
from .frontmatter import FrontMatterError, parse
from .schema import SCHEMAS
from .slugs import split_name


class ContentError(Exception):
    """Content that cannot be built; the message is `path:line: what — fix`."""


class StoryReader(BaseReader):
    enabled = True
    file_extensions = ["md"]

    def __init__(self, settings):
        super().__init__(settings)
        self._tags: dict[tuple[type, str], Tag | Category] = {}

    def read(self, source_path):
        content_root = os.path.abspath(self.settings["PATH"])
        rel = os.path.relpath(source_path, content_root).replace(os.sep, "/")
        folder = rel.split("/", 1)[0]
        schema = SCHEMAS.get(folder)
        slug, lang = split_name(os.path.basename(source_path)) or (None, None)
        lang = lang or self.settings["DEFAULT_LANG"]
        doc, rendered = self.parse_and_render(source_path, rel, lang)
        meta = copy.deepcopy(doc.meta)
        out = {
            "slug": meta.get("slug") or slug,
            "lang": lang,
            "kind": schema.kind if schema else "page",
            "body_images": list(rendered.images),
            "sample": bool(meta.get("sample")),
            # About 200 words a minute, a pace that also suits readers in their second language.
            "reading_minutes": max(1, round(len(doc.body.split()) / 200)),
        }
        for key, value in meta.items():
            if key in ("slug", "lang", "sample"):
                continue
            out[key] = self.convert(key, value)
        if "updated" in out:
            out["modified"] = out["updated"]
        if "name" in out:
            out.setdefault("title", out["name"])
        if out["kind"] == "story":
            out["champion_slugs"] = fields.as_list(meta.get("champions", []))
            out["pillar_slugs"] = fields.as_list(meta.get("pillars", []))
            out.pop("champions", None)
            out.pop("pillars", None)
            out["template"] = "story"
            # Pelican files every article under a category; ours are pillars, so one fixed name.
            out["category"] = self._tag("stories", Category)
        return rendered.html, out

    def _tag(self, name: str, kind: type = Tag):
        """One Tag (or Category) per name for all the files this reader reads. Pelican works out a
        Tag's slug the first time the Tag is hashed; with Tags of their own, every tag of every
        story was slugified."""
        if (kind, name) not in self._tags:
            self._tags[kind, name] = kind(name, self.settings)
        return self._tags[kind, name]

    def parse_and_render(self, source_path, rel, lang):
        """The file's front matter and HTML: the content check's, when it has just read these bytes."""
        with open(source_path, "rb") as f:
            raw = f.read()
        text = raw.decode("utf-8")
        sha = contentcache.digest(raw)
        contentcache.note_digest(source_path, sha)  # Pelican's reader cache stamps what it stores with it
        if "\r" not in text:
            checked = contentcache.recall(source_path, sha, self.settings)
            if checked:
                return checked.doc, checked.rendered
        # The check reads bytes; a file opened as text has its line endings made "\n", as here.
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        try:
            doc = parse(text)
        except FrontMatterError as exc:
            raise ContentError(f"{rel}:{exc.line}: {exc.message}") from None
        depth = contentcache.depth(self.settings, lang)
        return doc, markup.render(doc.body, rel, depth, self.settings["STEM4ALL_IMAGES_DIR"])

    def convert(self, key, value):
        if key in ("date", "updated"):
            # `updated` is also Pelican's `modified`, which feeds and the sitemap read.
            parsed = fields.parse_date(value)
            return SafeDatetime(*parsed.timetuple()[:6]) if parsed else value
        if key in ("summary", "quote", "cover_alt", "photo_alt"):
            # Plain text in the front matter; templates treat summary as HTML, as Pelican does.
            return html.escape(str(value)) if key == "summary" else str(value)
        if key == "tags":
            return [self._tag(str(t)) for t in fields.as_list(value)]
        if key == "status":
            return "draft" if value == "draft" else "published"
        if key in ("co_chairs", "aliases"):
            return fields.as_list(value)
        if key == "video":
            return fields.youtube_id(value)
        return value
