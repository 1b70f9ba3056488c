"""A deterministic synthetic campaign: N stories in three languages, N/5 champions, the four pillars.

The same seed and N always write the same files, so two machines (or two commits) build the
same campaign. `write_ours` writes our front-matter format; `write_stock` converts the same
stories to Pelican's default Markdown metadata (`Title:`, `Date:` …) for the stock baseline.
"""

from __future__ import annotations

import os
import random
import re
import shutil
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent

WORDS = {
    "en": """science school girls engineer data lab robot code teacher village city mountain river
    solar energy water air sensor map network mentor student community research project grant
    workshop field mathematics physics chemistry biology model experiment question answer family
    parents club team design prototype battery circuit software hardware course university career
    evidence survey interview report story voice courage patience curiosity friendship region
    border language winter summer morning evening market kitchen table window roof garden bridge
    road bus train phone screen notebook pencil board chalk lesson homework exam scholarship
    internship conference hackathon podcast video poster invitation letter message meeting choice
    future idea problem solution measure test result change pipeline skill tool machine factory
    farm clinic hospital vaccine microscope telescope satellite weather climate soil seed harvest
    women colleagues neighbours daughters mothers grandmothers friends volunteers leaders""".split(),
    "ru": """наука школа девочки инженер данные лаборатория робот код учительница село город гора река
    солнце энергия вода воздух датчик карта сеть наставница студентка сообщество исследование проект
    грант семинар поле математика физика химия биология модель эксперимент вопрос ответ семья
    родители кружок команда прототип батарея схема программа курс университет карьера опрос
    интервью отчёт история голос смелость терпение любопытство дружба регион язык зима лето утро
    вечер рынок кухня стол окно крыша сад мост дорога автобус телефон экран тетрадь урок экзамен
    стипендия стажировка конференция хакатон подкаст видео письмо встреча выбор будущее идея
    задача решение измерение результат навык инструмент завод ферма клиника микроскоп телескоп
    спутник погода климат почва урожай женщины коллеги соседи дочери матери подруги волонтёры""".split(),
    "ky": """илим мектеп кыздар инженер маалымат лаборатория робот код мугалим айыл шаар тоо дарыя
    күн энергия суу аба сенсор карта тармак насаатчы студент коомчулук изилдөө долбоор грант
    семинар талаа математика физика химия биология модель тажрыйба суроо жооп үй-бүлө ата-эне
    ийрим команда батарея программа курс университет мансап сурамжылоо маек баяндама окуя үн
    кайрат сабыр кызыгуу достук аймак тил кыш жай эртең кеч базар ашкана стол терезе чатыр бак
    көпүрө жол автобус телефон экран дептер сабак сынак стипендия конференция хакатон подкаст
    видео кат жолугушуу тандоо келечек идея маселе чечим өлчөө натыйжа көндүм курал завод ферма
    клиника микроскоп телескоп спутник аба-ырайы климат топурак түшүм аялдар кесиптештер
    коңшулар кыздарыбыз энелер курбулар ыктыярчылар жаңы чоң бирге өңүттөн үйрөнүү""".split(),
}
HEADINGS = {"en": "How it started|What we learned|The hard part|What comes next|Who helped|Numbers that matter",
            "ru": "С чего всё началось|Чему мы научились|Самое трудное|Что дальше|Кто помог|Цифры, которые важны",
            "ky": "Баары кантип башталды|Эмнеге үйрөндүк|Эң оор жери|Андан ары эмне|Ким жардам берди|Маанилүү сандар"}
HEADINGS = {k: v.split("|") for k, v in HEADINGS.items()}
LINK_TEXT = {"en": ("her profile", "another story", "the open data"),
             "ru": ("её профиль", "другая история", "открытые данные"),
             "ky": ("анын профили", "башка окуя", "ачык маалымат")}
FIRST = "Aigerim Aida Alina Aruzhan Asel Aynur Dana Elena Gulnara Gulsen Jelena Kamila Leyla Madina Nino Nodira Saltanat Tamar Zarina Zhanna".split()
LAST = "Abdyldaeva Aliyeva Asanova Beridze Hasanova Ismailova Karimova Kovalchuk Markovic Nazarova Omurbekova Petrenko Rahimova Sultanova Tokhtarova Usmonova Yusupova Zhaksylykova".split()
ROLES = ["Robotics engineer", "Data scientist", "Geologist", "Biotech researcher", "Mathematics teacher",
         "Software developer", "Energy engineer", "Climate researcher", "Physics student", "Doctor"]
COUNTRIES = ["Kyrgyzstan", "Kazakhstan", "Uzbekistan", "Tajikistan", "Azerbaijan", "Georgia", "Armenia",
             "Serbia", "Belarus", "Moldova", "Ukraine", "Albania", "Montenegro", "Turkmenistan", "Türkiye"]
PILLARS = ["communications", "research", "project-activities", "opportunities-for-girls"]
TAGS = [f"topic-{w}" for w in WORDS["en"][:40]]
COVERS = 8  # a small pool of covers shared by the stories that have one


@dataclass
class Story:
    slug: str
    lang: str
    title: str
    summary: str
    date: date
    champions: list[str]
    pillars: list[str]
    tags: list[str]
    body: str
    cover: str | None = None
    quote: str | None = None
    featured: bool = False

    @property
    def filename(self) -> str:
        return f"{self.slug}.md" if self.lang == "en" else f"{self.slug}.{self.lang}.md"


@dataclass
class Champion:
    slug: str
    name: str
    country: str
    role: str
    photo: str | None
    bio: str
    translations: dict[str, str] = field(default_factory=dict)  # lang -> bio


@dataclass
class Campaign:
    stories: list[Story]
    champions: list[Champion]


def _sentence(rng, lang, lo=8, hi=16):
    words = rng.choices(WORDS[lang], k=rng.randint(lo, hi))
    return " ".join(words).capitalize() + rng.choice([".", ".", ".", "?", "!"])


def _paragraph(rng, lang):
    return " ".join(_sentence(rng, lang) for _ in range(rng.randint(3, 5)))


def _body(rng, lang, champion, other_story):
    """About 400 words: paragraphs under three headings, a list, emphasis and three kinds of link."""
    profile, story, data = LINK_TEXT[lang]
    parts = [_paragraph(rng, lang) + f" Read [{profile}](../champions/{champion}.md)."]
    for i, heading in enumerate(rng.sample(HEADINGS[lang], 3)):
        parts.append(f"## {heading}")
        words = _paragraph(rng, lang).split(" ")
        words[1], words[4] = f"**{words[1]}**", f"*{words[4]}*"
        parts.append(" ".join(words))
        if i == 1:
            parts.append("\n".join(f"- {_sentence(rng, lang, 4, 8)}" for _ in range(rng.randint(3, 4))))
        parts.append(_paragraph(rng, lang) + f" See [{data}](https://example.org/stem4all/data/{rng.randint(1, 999)}).")
    if other_story:
        parts.append(_paragraph(rng, lang) + f" Also read [{story}]({other_story}).")
    return "\n\n".join(parts) + "\n"


def generate(n: int, seed: int = 1011) -> Campaign:
    """The campaign for N story files: mostly English, some Russian, some Kyrgyz, some translated pairs."""
    rng = random.Random(f"{seed}:{n}")
    champions = []
    for i in range(max(1, n // 5)):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        slug = f"champion-{i:05d}"
        champions.append(Champion(
            slug, name, rng.choice(COUNTRIES), rng.choice(ROLES),
            f"images/portrait-{i:05d}.jpg" if rng.random() < 0.4 else None,
            "\n\n".join(_paragraph(rng, "en") for _ in range(2)) + "\n",
            {"ru": _paragraph(rng, "ru") + "\n"} if rng.random() < 0.1 else {},
        ))
    stories: list[Story] = []
    i = 0
    while len(stories) < n:
        roll = rng.random()
        langs = (["en"] if roll < 0.72 else ["ru"] if roll < 0.82 else ["ky"] if roll < 0.88
                 else ["en", rng.choice(["ru", "ru", "ky"])])
        slug = f"story-{i:05d}-{rng.choice(WORDS['en'])}-{rng.choice(WORDS['en'])}"
        day = date(2022, 1, 1) + timedelta(days=rng.randrange(3 * 365))
        authors = [c.slug for c in rng.sample(champions, min(len(champions), 1 if rng.random() < 0.85 else 2))]
        pillars = rng.sample(PILLARS, 1 if rng.random() < 0.7 else 2)
        tags = rng.sample(TAGS, rng.randint(1, 3))
        cover = f"images/cover-{rng.randrange(COVERS)}.jpg" if rng.random() < 0.25 else None
        featured = rng.random() < 0.02
        for lang in langs[: n - len(stories)]:
            other = rng.choice(stories).filename if stories else None
            title = " ".join(rng.choices(WORDS[lang], k=rng.randint(4, 8))).capitalize()
            summary = " ".join(_sentence(rng, lang) for _ in range(2))[:280].rstrip(" ,")
            quote = _sentence(rng, lang) if rng.random() < 0.3 else None
            stories.append(Story(slug, lang, title, summary, day, authors, pillars, tags,
                                 _body(rng, lang, authors[0], other), cover, quote, featured))
        i += 1
    return Campaign(stories, champions)


def _image(path: Path, size: tuple[int, int], rng: random.Random) -> None:
    """A photo-like JPEG: soft shapes plus grain, so it compresses like a photograph, not a flat fill."""
    w, h = size
    img = Image.new("RGB", size, tuple(rng.randrange(40, 200) for _ in range(3)))
    draw = ImageDraw.Draw(img)
    for _ in range(24):
        x, y, r = rng.randrange(w), rng.randrange(h), rng.randrange(w // 12, w // 3)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randrange(256) for _ in range(3)))
    img = img.filter(ImageFilter.GaussianBlur(w // 40))
    grain = Image.frombytes("L", size, rng.randbytes(w * h)).convert("RGB")
    Image.blend(img, grain, 0.06).save(path, "JPEG", quality=90)


def _yaml(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_ours(campaign: Campaign, content: Path, seed: int = 1011) -> None:
    """Our content folder: stories, champions, the four pillars and the pages of the sample site."""
    if content.exists():
        shutil.rmtree(content)
    for sub in ("stories", "champions", "images"):
        (content / sub).mkdir(parents=True)
    # The pillars and pages are the real ones: the site needs the four pillars and its fixed pages.
    for sub in ("pillars", "pages"):
        shutil.copytree(ROOT / "content" / sub, content / sub)
    rng = random.Random(seed)
    for k in range(COVERS):
        _image(content / f"images/cover-{k}.jpg", (1600, 1000), rng)
    for c in campaign.champions:
        photo = f"photo: {c.photo}\nphoto_alt: Portrait of {c.name}\n" if c.photo else ""
        if c.photo:
            _image(content / c.photo, (400, 400), rng)
        (content / f"champions/{c.slug}.md").write_text(
            f"---\nname: {_yaml(c.name)}\ncountry: {c.country}\nrole: {c.role}\nconsent: true\n{photo}---\n{c.bio}",
            encoding="utf-8")
        for lang, bio in c.translations.items():
            (content / f"champions/{c.slug}.{lang}.md").write_text(f"---\nrole: {_yaml(c.role)}\n---\n{bio}",
                                                                    encoding="utf-8")
    for s in campaign.stories:
        extra = ""
        if s.cover:
            extra += f"cover: {s.cover}\ncover_alt: {_yaml('Cover picture of ' + s.title)}\n"
        if s.quote:
            extra += f"quote: {_yaml(s.quote)}\n"
        if s.featured:
            extra += "featured: true\n"
        (content / "stories" / s.filename).write_text(
            f"---\ntitle: {_yaml(s.title)}\nchampions: [{', '.join(s.champions)}]\npillars: [{', '.join(s.pillars)}]\n"
            f"date: {s.date.isoformat()}\nsummary: {_yaml(s.summary)}\nconsent: true\ntags: [{', '.join(s.tags)}]\n"
            f"{extra}---\n{s.body}", encoding="utf-8")


def write_stock(campaign: Campaign, ours: Path, content: Path) -> None:
    """The same stories in Pelican's default metadata format; images copied as Pelican's static files."""
    if content.exists():
        shutil.rmtree(content)
    (content / "stories").mkdir(parents=True)
    shutil.copytree(ours / "images", content / "images")
    names = {c.slug: c.name for c in campaign.champions}
    pillar_titles = {p: p.replace("-", " ").capitalize() for p in PILLARS}
    for s in campaign.stories:
        # Relative links become Pelican's own intra-site links, so stock resolves them too.
        body = re.sub(r"\]\(\.\./champions/([a-z0-9-]+)\.md\)", r"]({author}\1)", s.body)
        body = re.sub(r"\]\(([a-z0-9.-]+\.md)\)", r"]({filename}\1)", body)
        meta = [f"Title: {s.title}", f"Date: {s.date.isoformat()}", f"Category: {pillar_titles[s.pillars[0]]}",
                f"Tags: {', '.join(s.tags)}", f"Authors: {', '.join(names[c] for c in s.champions)}",
                f"Summary: {s.summary}", f"Slug: {s.slug}"]
        if s.lang != "en":
            meta.append(f"Lang: {s.lang}")
        (content / "stories" / s.filename).write_text("\n".join(meta) + "\n\n" + body, encoding="utf-8")


def touch_story(content: Path, filename: str, restore: str | None = None) -> str:
    """Add a sentence to one story (or put back `restore`); returns the text it had before."""
    path = content / "stories" / filename
    before = path.read_text(encoding="utf-8")
    path.write_text(restore if restore is not None else before + "\nA sentence added by the benchmark.\n",
                    encoding="utf-8")
    return before


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Write a synthetic campaign (ours and stock) to a folder.")
    parser.add_argument("n", type=int)
    parser.add_argument("dest")
    parser.add_argument("--seed", type=int, default=1011)
    args = parser.parse_args()
    camp = generate(args.n, args.seed)
    write_ours(camp, Path(args.dest) / "ours" / "content", args.seed)
    write_stock(camp, Path(args.dest) / "ours" / "content", Path(args.dest) / "stock" / "content")
    print(f"{len(camp.stories)} stories and {len(camp.champions)} champions in {os.path.abspath(args.dest)}")
