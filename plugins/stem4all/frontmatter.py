"""Split a Markdown file into its YAML front matter and body, keeping the line of every key."""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml


class FrontMatterError(Exception):
    """A file whose front matter cannot be read; carries the line and the fix."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


# Dates stay the text the contributor wrote; we parse them ourselves.
_RESOLVERS = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Loader(yaml.SafeLoader):
    """Safe YAML that keeps dates as the text the contributor wrote; we parse them ourselves."""

    yaml_implicit_resolvers = _RESOLVERS


if yaml.__with_libyaml__:
    class _FastLoader(yaml.CSafeLoader):
        """The same, parsed by libyaml (in C): the pure-Python scanner was most of a file's parse time."""

        yaml_implicit_resolvers = _RESOLVERS
else:  # PyYAML built without libyaml
    _FastLoader = _Loader


def _compose(text: str) -> tuple[yaml.Node | None, yaml.SafeLoader]:
    """The YAML's node tree (it knows the line of every key) and the loader to build the data from it.

    libyaml words some errors differently, so on any error the pure-Python parser reads the text
    again: contributors get the same message and line whichever parser PyYAML has."""
    loader = _FastLoader(text)
    try:
        return loader.get_single_node(), loader
    except yaml.YAMLError:
        if _FastLoader is _Loader:
            raise
    loader = _Loader(text)
    return loader.get_single_node(), loader


@dataclass
class Document:
    meta: dict
    lines: dict[str, int]
    body: str
    body_line: int
    end_line: int = 1
    text: str = field(default="", repr=False)

    def line_of(self, key: str) -> int:
        return self.lines.get(key, 1)


def parse(text: str) -> Document:
    """Parse `---` front matter; raise FrontMatterError with a line number on any problem."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise FrontMatterError(1, "the file is empty — copy the template from CONTRIBUTING.md and fill it in")
    all_lines = text.split("\n")
    if all_lines[0].rstrip() != "---":
        raise FrontMatterError(
            1, "the file does not start with a front matter block — put a line with --- first, "
            "then the fields (title: …), then another line with ---"
        )
    try:
        end = next(i for i, line in enumerate(all_lines[1:], start=1) if line.rstrip() in ("---", "..."))
    except StopIteration:
        raise FrontMatterError(
            1, "the front matter block is never closed — add a line with --- after the last field"
        ) from None
    yaml_text = "\n".join(all_lines[1:end])
    try:
        node, loader = _compose(yaml_text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 2 if mark else 2
        raise FrontMatterError(
            line, f"the front matter is not valid YAML ({exc.problem}) — check the quotes, "
            "colons and indentation on this line; put text containing ':' or '#' in quotes"
        ) from None
    if node is None:
        raise FrontMatterError(1, "the front matter block is empty — add the required fields between the --- lines")
    if not isinstance(node, yaml.MappingNode):
        raise FrontMatterError(2, "the front matter must be a list of lines written as field: value — e.g. title: My story")
    lines: dict[str, int] = {}
    for key_node, _ in node.value:
        key = str(key_node.value)
        if key in lines:
            raise FrontMatterError(
                key_node.start_mark.line + 2,
                f"the field '{key}' appears twice (first on line {lines[key]}) — keep only one",
            )
        lines[key] = key_node.start_mark.line + 2
    meta = loader.construct_document(node)
    meta = {str(k): v for k, v in meta.items()}
    body = "\n".join(all_lines[end + 1 :])
    return Document(meta=meta, lines=lines, body=body, body_line=end + 2, end_line=end + 1, text=text)
