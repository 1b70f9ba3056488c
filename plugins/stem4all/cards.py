"""Share cards: the 1200×630 picture Telegram, WhatsApp and others show when a story or profile is shared."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass

import PIL
from PIL import Image, ImageDraw, ImageFont

from .imagecache import Job

WIDTH, HEIGHT = 1200, 630
MAX_BYTES = 300_000  # some messengers drop a larger preview
MARGIN = 80
BRAND, SUN, TEXT, MUTED, BACKGROUND = "#1d3f8f", "#ffd166", "#1a1f2b", "#4a5468", "#ffffff"
TITLE_SIZES = range(72, 39, -4)  # the title shrinks, size by size, until it fits
AREA_TOP, AREA_BOTTOM = 176, 584  # between the mark and the band: the title and byline, centred
BYLINE_SIZE, BYLINE_GAP = 34, 22
BAND = 28


class CardError(Exception):
    """Share cards cannot be drawn; the message says how to fix the machine or the settings."""


@dataclass(frozen=True)
class Card:
    """Everything a card shows; its hash is the cache key."""

    path: str  # in the site: cards/stories/<slug>[-<lang>].jpg or cards/champions/<slug>.jpg
    title: str
    byline: str
    colours: tuple[str, ...]  # the pillar band, left to right
    site: str
    font: str
    font_bold: str
    # The font files, this module and Pillow's version: a new font or layout redraws every card.
    version: str = ""

    def key(self) -> str:
        return hashlib.sha256(f"card|{json.dumps(asdict(self), sort_keys=True)}".encode()).hexdigest()


def version(paths) -> str:
    digest = hashlib.sha256(PIL.__version__.encode())
    for path in paths:
        with open(path, "rb") as f:
            digest.update(hashlib.sha256(f.read()).digest())
    return digest.hexdigest()[:16]


def fonts(settings: dict) -> tuple[str, str]:
    paths = settings["STEM4ALL_CARD_FONT"], settings["STEM4ALL_CARD_FONT_BOLD"]
    for key, path in zip(("STEM4ALL_CARD_FONT", "STEM4ALL_CARD_FONT_BOLD"), paths):
        if not os.path.isfile(path):
            raise CardError(f"the share-card font {path} ({key}) is missing — install it with "
                            f"`apt-get install fonts-dejavu-core`, or set {key} to a TrueType font that covers "
                            "Cyrillic and Azerbaijani Latin")
    return paths


def plan(settings: dict, ctx: dict) -> list[tuple[list, Card]]:
    """A card for every published story (each language) and every champion, with the pages that use it."""
    regular, bold = fonts(settings)
    default_lang, site, drawn_by = settings["DEFAULT_LANG"], settings["SITENAME"], version((regular, bold, __file__))
    cards = []
    for story in ctx["articles"] + ctx["story_translations"]:
        suffix = "" if story.lang == default_lang else f"-{story.lang}"
        names = ", ".join(c.title for c in story.champions)
        byline = f"{names} · {story.country.name_in(story.lang)}" if story.country else names
        colours = _colours(story.pillars)
        cards.append(([story], Card(f"cards/stories/{story.slug}{suffix}.jpg", str(story.title), byline,
                                    colours, site, regular, bold, drawn_by)))
    for champion in ctx["champions"]:
        pillars = [p for s in champion.stories for p in s.pillars]
        byline = f"{champion.role} · {champion.country.name_in(champion.lang)}"
        cards.append(([champion, *champion.translations], Card(f"cards/champions/{champion.slug}.jpg",
                                                                str(champion.title), byline, _colours(pillars),
                                                                site, regular, bold, drawn_by)))
    return cards


def _colours(pillars) -> tuple[str, ...]:
    colours = dict.fromkeys(getattr(p, "color", None) or BRAND for p in pillars)
    return tuple(colours)[:4] or (BRAND,)


def job(card: Card) -> Job:
    return Job(card.key(), draw, (card,), f"the share card {card.path}",
               "check STEM4ALL_CARD_FONT and STEM4ALL_CARD_FONT_BOLD, then rebuild")


def draw(folder: str, card: Card) -> None:
    """Draw the card into `folder`/card.jpg."""
    img = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    d = ImageDraw.Draw(img)
    logo = mark(96)
    img.paste(logo, (MARGIN, 64), logo)
    # The site's name as in the page header: its first word bold ("STEM4ALL Stories").
    first, _, rest = card.site.partition(" ")
    brand = _font(card.font_bold, 40)
    d.text((MARGIN + 124, 112), first, font=brand, fill=BRAND, anchor="lm")
    d.text((MARGIN + 124 + brand.getlength(first + " "), 112), rest, font=_font(card.font, 40), fill=BRAND, anchor="lm")
    byline_height = BYLINE_GAP + round(BYLINE_SIZE * 1.2)
    font, lines, line_height = fit(card.title, card.font_bold, WIDTH - 2 * MARGIN,
                                   AREA_BOTTOM - AREA_TOP - byline_height)
    y = AREA_TOP + (AREA_BOTTOM - AREA_TOP - len(lines) * line_height - byline_height) // 2
    for line in lines:
        d.text((MARGIN, y), line, font=font, fill=TEXT)
        y += line_height
    byline = _font(card.font, BYLINE_SIZE)
    d.text((MARGIN, y + BYLINE_GAP), ellipsize(card.byline, byline, WIDTH - 2 * MARGIN), font=byline, fill=MUTED)
    step = WIDTH / len(card.colours)
    for i, colour in enumerate(card.colours):
        d.rectangle((round(i * step), HEIGHT - BAND, round((i + 1) * step), HEIGHT), fill=colour)
    target = os.path.join(folder, "card.jpg")
    for quality in (85, 75, 65, 55):
        # 4:4:4 keeps the edges of coloured text sharp; a flat card stays far below the limit.
        img.save(target, "JPEG", quality=quality, optimize=True, progressive=True, subsampling=0)
        if os.path.getsize(target) < MAX_BYTES:
            return


def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    # The basic layout needs no system shaping library, so every machine draws the same pixels.
    return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.BASIC)


def fit(text: str, path: str, width: int, height: int):
    """The largest font at which the wrapped text fits the box; at the smallest, the end is cut with '…'."""
    for size in TITLE_SIZES:
        font, line_height = _font(path, size), round(size * 1.2)
        lines = wrap(text, font, width)
        if len(lines) * line_height <= height:
            return font, lines, line_height
    keep = max(1, height // line_height)
    if len(lines) > keep:
        lines = lines[:keep - 1] + [ellipsize(" ".join(lines[keep - 1:]) + " …", font, width)]
    return font, lines, line_height


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if font.getlength(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while font.getlength(word) > width:  # a word longer than the line is broken where it must be
            cut = max(1, max(i for i in range(1, len(word) + 1) if font.getlength(word[:i]) <= width))
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    return lines + [line] if line else lines


def ellipsize(text: str, font: ImageFont.FreeTypeFont, width: int) -> str:
    if font.getlength(text) <= width:
        return text
    while text and font.getlength(text.rstrip() + "…") > width:
        text = text[:-1]
    return text.rstrip(" ,·…") + "…"


def mark(size: int) -> Image.Image:
    """The site's mark (theme/static/images/mark.svg, a 40×40 drawing), drawn 4× larger and scaled down smooth."""
    s = size * 4 / 40
    img = Image.new("RGBA", (size * 4, size * 4), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((0, 0, 40 * s - 1, 40 * s - 1), radius=9 * s, fill=BRAND)
    d.ellipse(((20 - 5.5) * s, (13 - 5.5) * s, (20 + 5.5) * s, (13 + 5.5) * s), fill=SUN)
    for ray in (((28, 8), (32, 6)), ((30, 13), (34, 13)), ((8, 8), (5, 6)), ((6, 13), (3, 13))):
        _stroke(d, ray, 2 * s, SUN, s)
    # The shoulders: M9 32 c1.5-7 6-11 11-11 s9.5 4 11 11
    shoulders = _bezier((9, 32), (10.5, 25), (15, 21), (20, 21)) + _bezier((20, 21), (25, 21), (29.5, 25), (31, 32))
    _stroke(d, shoulders, 3.2 * s, "#ffffff", s)
    return img.resize((size, size), Image.Resampling.LANCZOS)


def _bezier(p0, p1, p2, p3, steps=24):
    return [tuple((1 - t) ** 3 * a + 3 * (1 - t) ** 2 * t * b + 3 * (1 - t) * t ** 2 * c + t ** 3 * e
                  for a, b, c, e in zip(p0, p1, p2, p3)) for t in (i / steps for i in range(steps + 1))]


def _stroke(d: ImageDraw.ImageDraw, points, width: float, fill: str, s: float) -> None:
    scaled = [(x * s, y * s) for x, y in points]
    d.line(scaled, fill=fill, width=round(width), joint="curve")
    for x, y in (scaled[0], scaled[-1]):  # round caps, as the SVG's stroke-linecap
        d.ellipse((x - width / 2, y - width / 2, x + width / 2, y + width / 2), fill=fill)
