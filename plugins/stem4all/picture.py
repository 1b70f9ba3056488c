"""The HTML of a published picture: <picture> with a modern format, a fallback, srcset, sizes and its real size."""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote

from markupsafe import Markup
from jinja2 import pass_context

from .renditions import MIME

# A picture in a story body is as wide as the text column (.s4a-prose: 68ch, about 42.5rem) or the screen.
BODY_SIZES = "(min-width: 46rem) 42.5rem, 100vw"
IMG = re.compile(r"<img\b([^>]*)>")
ATTRIBUTE = re.compile(r'([a-zA-Z-]+)="([^"]*)"')
UP = re.compile(r"^((?:\.\./)*)(.*)$")


@dataclass(frozen=True)
class Derived:
    """What is published for one source picture: every width, in each format and the fallback."""

    source: str  # relative to content/: images/x.jpg
    stem: str  # relative to the site: images/x-1a2b3c4d (the files are <stem>-<width>.<ext>)
    sizes: tuple[tuple[int, int], ...]  # (width, height), narrowest first
    formats: tuple[str, ...]  # extensions of the modern formats, best first
    fallback: str  # jpg, or png for a picture with transparency

    @property
    def width(self) -> int:
        return self.sizes[-1][0]

    @property
    def height(self) -> int:
        return self.sizes[-1][1]

    def files(self):
        """(name in the cache folder, path in the site) of every file to publish."""
        for width, _ in self.sizes:
            for ext in (*self.formats, self.fallback):
                yield f"{width}.{ext}", f"{self.stem}-{width}.{ext}"

    def srcset(self, base: str, ext: str) -> str:
        return ", ".join(f"{base}{self.stem}-{w}.{ext} {w}w" for w, _ in self.sizes)

    def src(self, base: str) -> str:
        # For the rare browser without srcset: a width that suits a phone.
        width = max((w for w, _ in self.sizes if w <= 800), default=self.sizes[0][0])
        return f"{base}{self.stem}-{width}.{self.fallback}"


def render(d: Derived, base: str, alt: str, sizes: str, img_class: str | None = None, eager: bool = False,
           title: str | None = None, picture_class: str | None = None) -> str:
    """<picture> for `d`; `base` is what its URLs start with: SITEURL + '/', or '../../' in a body."""
    esc = html.escape
    sources = "".join(f'<source type="{MIME[ext]}" srcset="{esc(d.srcset(base, ext))}" sizes="{esc(sizes)}">'
                      for ext in d.formats)
    attrs = [f'class="{esc(img_class)}"'] if img_class else []
    attrs += [f'src="{esc(d.src(base))}"', f'srcset="{esc(d.srcset(base, d.fallback))}"', f'sizes="{esc(sizes)}"',
              f'width="{d.width}"', f'height="{d.height}"', f'alt="{esc(alt)}"']
    if title:
        attrs.append(f'title="{esc(title)}"')
    # The first picture on a page is what the reader waits for; the others load as she scrolls.
    attrs += ['fetchpriority="high"', 'decoding="async"'] if eager else ['loading="lazy"', 'decoding="async"']
    wrapper = f'<picture class="{esc(picture_class)}">' if picture_class else "<picture>"
    return f"{wrapper}{sources}<img {' '.join(attrs)}></picture>"


@pass_context
def picture(context, rel, alt="", sizes="100vw", img_class=None, eager=False, picture_class=None) -> Markup:
    """Jinja: the <picture> of a published source image (relative to content/), or '' if it is not published.

    `picture_class` styles the wrapper where a layout sizes its children (a flex row keeps an avatar round)."""
    derived = context.get("stem4all_images", {}).get(posixpath.normpath(str(rel))) if rel else None
    if derived is None:
        return Markup("")
    return Markup(render(derived, context.get("SITEURL", "") + "/", str(alt or ""), sizes, img_class, eager,
                         picture_class=picture_class))


def rewrite_body(text: str, derived: dict[str, Derived]) -> str:
    """Each <img> of a published picture in a body becomes its <picture>, its URLs still relative to the page."""

    def replace(match: re.Match) -> str:
        attrs = {name: html.unescape(value) for name, value in ATTRIBUTE.findall(match[1])}
        up, path = UP.match(attrs.get("src", "")).groups()
        d = derived.get(posixpath.normpath(unquote(path))) if path else None
        if d is None:
            return match[0]
        return render(d, up, attrs.get("alt", ""), BODY_SIZES, title=attrs.get("title"))

    return IMG.sub(replace, text)
