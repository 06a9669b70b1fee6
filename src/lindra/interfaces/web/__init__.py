"""The Swedish web pages: server-rendered Jinja2 templates, local CSS and a little JavaScript.

Every string a patient reads lives in ``templates/``; Python only prepares
values. Autoescaping is always on, so document text can never inject markup.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

import jinja2
from fastapi.templating import Jinja2Templates
from starlette.requests import Request

from lindra.config import Settings

__all__ = [
    "COMMON_HEADERS",
    "PAGE_HEADERS",
    "emergency_words",
    "is_url",
    "make_templates",
    "source_label",
    "split_facts",
]

# Headers of every response, JSON and API docs included.
COMMON_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
# Headers of every HTML page: only our own files and no inline script, so even
# a markup bug could not run script that came with a document.
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "Referrer-Policy": "same-origin",
    **COMMON_HEADERS,
}


def emergency_words(matched: Sequence[str]) -> list[str]:
    """The asker's own words that raised an emergency alarm, from ``emergency.matched``
    (its ``concept: words`` entries; rule names carry no colon).

    >>> emergency_words(["chest.danger", "chest_pain: tryck över bröstet", "sweat: kallsvettig"])
    ['tryck över bröstet', 'kallsvettig']
    """
    return list(dict.fromkeys(m.split(": ", 1)[1] for m in matched if ": " in m))[:4]


def is_url(source: str) -> bool:
    """Whether a document source can be linked to.

    >>> is_url("https://www.1177.se/ryggont"), is_url("/data/sida.txt")
    (True, False)
    """
    return urlsplit(source).scheme in ("http", "https")


def source_label(source: str) -> str:
    """A short name for a source: the host of a URL or the last part of a path.

    >>> source_label("https://www.1177.se/sjukdomar/ryggont/")
    'www.1177.se'
    >>> source_label("/srv/lindra/samples/botox-backenbotten.txt")
    'botox-backenbotten.txt'
    >>> source_label("upload:records.jsonl:3")
    'records.jsonl:3'
    """
    if is_url(source):
        return urlsplit(source).netloc
    tail = source.replace("\\", "/").rsplit("/", 1)[-1]
    return tail.removeprefix("upload:") or source


# Facts short enough for a table cell, in reading order; the rest (whole
# sentences) are shown behind a disclosure.
SHORT_FACTS = ("phase", "onset", "peak", "duration", "repeat", "first_line")

FactItems = list[tuple[str, Any]]


def split_facts(facts: object) -> tuple[FactItems, FactItems]:
    """Present facts split into (short, long), short ones in :data:`SHORT_FACTS` order.

    >>> split_facts({"side_effects": ["Blödning."], "onset": "1-2 veckor", "peak": ""})
    ([('onset', '1-2 veckor')], [('side_effects', ['Blödning.'])])
    """
    if not isinstance(facts, Mapping):
        return [], []
    present = [(str(k), v) for k, v in facts.items() if v not in (None, "", [], {})]
    short = sorted(
        ((k, v) for k, v in present if k in SHORT_FACTS), key=lambda kv: SHORT_FACTS.index(kv[0])
    )
    return short, [(k, v) for k, v in present if k not in SHORT_FACTS]


def make_templates(settings: Settings) -> Jinja2Templates:
    """The page templates with autoescaping on and the values every page needs."""
    folder = resources.files("lindra.interfaces.web") / "templates"
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["source_label"] = source_label
    env.filters["split_facts"] = split_facts
    env.globals["emergency_words"] = emergency_words
    env.tests["url"] = is_url

    def common(request: Request) -> dict[str, Any]:
        return {
            "root": request.scope.get("root_path", ""),
            "max_query_chars": settings.max_query_chars,
        }

    return Jinja2Templates(env=env, context_processors=[common])
