"""Production settings: only what publishing needs differs from pelicanconf.py."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *  # noqa: E402,F403

# A GitHub Pages project site: SITEURL=https://org.github.io/repo
SITEURL = os.environ.get("SITEURL", "").rstrip("/")
RELATIVE_URLS = False

FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_MAX_ITEMS = 50

# A custom domain for GitHub Pages, e.g. stories.example.org; written to CNAME when set.
STEM4ALL_CNAME = os.environ.get("STEM4ALL_CNAME", "")

DELETE_OUTPUT_DIRECTORY = True
LOAD_CONTENT_CACHE = False
