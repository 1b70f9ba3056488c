"""New content files written from the schema: `invoke new-story` and stories sent through the issue form."""

from __future__ import annotations

import os

import yaml

from .schema import CHAMPION, STORY, Schema
from .slugs import slugify


def _dump(key: str, value) -> str:
    """One `key: value` line that YAML reads back exactly, whatever the text holds."""
    return yaml.safe_dump({key: value}, allow_unicode=True, default_flow_style=False, width=10_000).strip()


def front_matter(schema: Schema, values: dict, comments: bool = True) -> str:
    """The front matter block for `values`; with comments, the optional fields are listed for the writer."""
    lines = ["---"]
    for field in schema.fields:
        if field.name in values and values[field.name] not in (None, "", []):
            if comments:
                lines.append(f"# {field.help}")
            lines.append(_dump(field.name, values[field.name]))
    if comments:
        optional = [f for f in schema.fields if not f.required and f.name not in values]
        if optional:
            lines.append("# Optional fields: remove the # at the start of a line to use it.")
            lines.extend(f"# {f.name}:  ({f.help})" for f in optional)
    lines.append("---")
    return "\n".join(lines) + "\n"


def story_file(values: dict, body: str = "", comments: bool = True) -> str:
    body = body.strip() or ("Write the story here, in your own words. Start a new paragraph with an empty line; "
                            "write ## before a line to make it a heading.")
    return front_matter(STORY, values, comments) + "\n" + body.strip() + "\n"


def champion_file(values: dict, bio: str = "", comments: bool = True) -> str:
    bio = bio.strip() or "A few sentences about her: what she does, and what brought her to it."
    return front_matter(CHAMPION, values, comments) + "\n" + bio.strip() + "\n"


def free_path(folder: str, slug: str, lang: str, default_lang: str) -> tuple[str, str]:
    """A file path for a new slug in `folder` that does not overwrite anything: (slug, path)."""
    base, n = slug or "story", 1
    while True:
        suffix = "" if lang == default_lang else f".{lang}"
        path = os.path.join(folder, f"{slug}{suffix}.md")
        if not os.path.exists(path):
            return slug, path
        n += 1
        slug = f"{base}-{n}"


def slug_for(text: str) -> str:
    return slugify(text)[:60].strip("-")
