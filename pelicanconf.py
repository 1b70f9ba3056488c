"""Settings for STEM4ALL Stories. Development values are the default; see publishconf.py."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "plugins"))

# -- Site -------------------------------------------------------------------
SITENAME = "STEM4ALL Stories"
SITESUBTITLE = "Women and girls in science, technology, engineering and mathematics across Europe and Central Asia tell their own stories"
SITEURL = ""
TIMEZONE = "Asia/Bishkek"
DEFAULT_LANG = "en"

# -- Content ----------------------------------------------------------------
PATH = "content"
ARTICLE_PATHS = ["stories"]
PAGE_PATHS = []  # content/pages is read by our plugin, like champions and pillars
STATIC_PATHS = []
ARTICLE_TRANSLATION_ID = "slug"
PAGE_TRANSLATION_ID = "slug"
DEFAULT_DATE_FORMAT = "%Y-%m-%d"
SUMMARY_MAX_LENGTH = 50

# -- URLs: clean, and a story's address never moves when a translation arrives
ARTICLE_URL = "stories/{slug}/"
ARTICLE_SAVE_AS = "stories/{slug}/index.html"
ARTICLE_LANG_URL = "{lang}/stories/{slug}/"
ARTICLE_LANG_SAVE_AS = "{lang}/stories/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
PAGE_LANG_URL = "{lang}/{slug}/"
PAGE_LANG_SAVE_AS = "{lang}/{slug}/index.html"
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = ""  # tag pages are written in every language by our plugin

# Drafts and embargoed stories must leave no file anywhere, so nothing is written for them.
DRAFT_URL = DRAFT_SAVE_AS = DRAFT_LANG_URL = DRAFT_LANG_SAVE_AS = ""
DRAFT_PAGE_URL = DRAFT_PAGE_SAVE_AS = DRAFT_PAGE_LANG_URL = DRAFT_PAGE_LANG_SAVE_AS = ""

# Pelican's own listings we replace with champions, pillars and countries.
CATEGORY_SAVE_AS = CATEGORIES_SAVE_AS = AUTHOR_SAVE_AS = AUTHORS_SAVE_AS = ""
TAGS_SAVE_AS = ARCHIVES_SAVE_AS = YEAR_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""
# Home and the listings are written in every language by our plugin; Pelican writes the 404 page.
DIRECT_TEMPLATES = ["404"]
globals()["404_SAVE_AS"] = "404.html"

# -- Listings -----------------------------------------------------------------
DEFAULT_PAGINATION = 24
PAGINATED_TEMPLATES = {
    "index": None, "tag": None, "champion": None, "pillar": None, "country": None, "champions": None,
    "pillars": None, "countries": None, "campaign": None,
}
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

# -- Feeds (turned on for production in publishconf.py) -----------------------
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

# -- Theme and plugins ---------------------------------------------------------
THEME = "theme"
PLUGIN_PATHS = ["plugins"]
PLUGINS = ["stem4all"]
MARKDOWN = {"extensions": [], "output_format": "html5"}
# Autoescape: titles, names and every front-matter value are untrusted text.
# Pelican makes new template environments for every build, so none has to look for edited templates.
# The theme has about forty templates, all kept: a plain dict, instead of Jinja's least-recently-used
# cache, which locks and reorders a queue each time a page includes a partial.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "extensions": [], "autoescape": True,
                     "auto_reload": False, "cache_size": -1}

# -- Caches ---------------------------------------------------------------------
CACHE_PATH = ".cache/pelican"
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
# Pelican gzips its cache at the slowest level by default: a tenth of a second per thousand stories
# on every build, to save disk space in a folder nobody publishes.
GZIP_CACHE = False
CHECK_MODIFIED_METHOD = "sha256"

# -- STEM4ALL -------------------------------------------------------------------
STEM4ALL_LANGUAGES = {"en": "English", "ru": "Русский", "ky": "Кыргызча"}
STEM4ALL_CAMPAIGN_DATE = "10-11"

# The campaign's focal points, shown on the contact page (role and address, no personal names).
STEM4ALL_CONTACTS = [
    {"role": "STEM4ALL platform coordinator", "email": "tiffany.sprague@undp.org"},
    {"role": "Accelerator Lab, UNDP Kyrgyzstan", "email": "ensi.tszie@undp.org"},
]
# Where to report a security problem with the site (/.well-known/security.txt).
STEM4ALL_SECURITY_CONTACT = "mailto:ensi.tszie@undp.org"
