"""Recognise the web boilerplate that scraped Swedish health pages carry.

The patterns were collected from Swedish blogs, regional health sites and
WordPress/Episerver/Drupal themes (comment forms, cookie banners, share and
pager links, advertisement labels, CMS traces). HTML pages go through
trafilatura first; these rules are for text that arrives already flattened,
where no HTML structure is left to tell content from chrome.
"""

from __future__ import annotations

import re
from enum import Enum

__all__ = ["Boilerplate", "classify_line", "cms_trace", "trailing_navigation"]


class Boilerplate(Enum):
    COOKIE = "cookie"
    COMMENT_FORM = "comment_form"
    NAVIGATION = "navigation"
    AD_MARKER = "ad_marker"
    AD = "advertisement"
    CMS_TRACE = "cms_trace"
    LINK = "link"
    CREDIT = "credit"


_COOKIE = re.compile(
    r"\b(cookies?|kakor(na)?|integritets ?(preferens(er)?|policy|inställningar)|"
    r"privacy (preferences?|policy|settings)|personuppgiftspolicy|"
    r"godkänn (alla|nödvändiga)|acceptera (alla|kakor|cookies)|accept all)\b",
    re.IGNORECASE,
)
# Comment forms of WordPress and similar blogs, in Swedish and English.
_COMMENT_FORM = re.compile(
    r"^(lämna (ett svar|en kommentar)|skriv en kommentar|kommentera( inlägget)?|"
    r"din e-postadress kommer inte (att )?publiceras|obligatoriska fält är märkta|"
    r"spara mitt namn|publicera kommentar(en)?|avbryt svar|"
    r"leave a (reply|comment)|your email address will not be published|"
    r"required fields are marked|\d+ (kommentarer|kommentar|comments?))\b",
    re.IGNORECASE,
)
# Whole lines that are pager, share or menu links.
_NAVIGATION_LINES = frozenset(
    {
        "previous", "next", "föregående", "nästa", "tillbaka", "till toppen", "upp",
        "hem", "startsida", "meny", "sök", "dela", "dela sidan", "dela artikeln", "share",
        "skriv ut", "print", "läs mer", "läs mer här", "visa mer", "visa fler", "stäng",
        "close", "gilla", "tweet", "facebook", "twitter", "linkedin", "instagram",
        "kopiera länk", "logga in", "prenumerera", "relaterat", "relaterade artiklar",
        "taggar", "kategorier", "innehåll på sidan", "hoppa till innehåll",
        "till innehållet", "lyssna", "lyssna på sidan", "föregående inlägg", "nästa inlägg",
        "gå till innehåll", "gå till sidans innehåll", "gå till huvudinnehåll",
        "direkt till innehållet", "annonsera", "nyhetsbrev", "publicerad", "uppdaterad",
        "läs senare", "läs vidare", "facebook comments", "tipsa en vän", "tipsa", "spara",
        "innehållsförteckning", "|", "sök vård", "kontakt", "kontakta oss", "om oss",
        "intresseområden sparade.", "logga ut", "min sida", "mina sidor", "e-tjänster",
        "in english", "lättläst", "teckenspråk", "andra språk", "talande webb",
    }
)  # fmt: skip
_NAVIGATION_PREFIX = re.compile(
    r"^(läs mer (här|om)\b|mer läsning\b|se även\b|läs också\b|relaterade? (länkar|artiklar)\b|"
    r"publicerad:?\s*\d|uppdaterad:?\s*\d|senast (uppdaterad|granskad)\b|"
    r"taggar:|kategori(er)?:|dela (på|via)\b|följ oss\b|prenumerera på\b|"
    r"skriv ut (\(|den här\b|sidan\b|artikeln\b)|(sidan )?uppdaterades (senast|den)\b|"
    r"uppdaterad den:|lästid:|innehållet har granskats av\b|skriv för att söka\b|"
    r"tack, din e-?postadress\b|starta din prenumeration\b|alla kommentarer granskas\b|"
    r"hoppa till\b|gå (direkt )?till (sidans )?(huvud)?innehåll)",
    re.IGNORECASE,
)
# Copyright lines and photo or text credits: "© Getty Images", "Foto: Anna Ek".
_CREDIT = re.compile(
    r"^(©|\(c\)\s|copyright\b|(text|foto|bild|fotograf|illustration|grafik)\s*:\s*\S.{0,100}$)",
    re.IGNORECASE,
)
_AD_MARKER = re.compile(
    r"^(reklam|annons|tips|sponsrat|sponsrad|sponsored|advertisement|annonssamarbete)"
    r"(\s*[/|&-]\s*(reklam|annons|tips|sponsrat|sponsrad))*\s*:?$",
    re.IGNORECASE,
)
# An advertisement on one line: "Annons: MiniMage – välling med extra fibrer".
_AD_LINE = re.compile(
    r"^(reklam|annons|sponsrat|sponsrad|sponsored|advertisement|annonssamarbete)\s*[:|–-]\s*\S",
    re.IGNORECASE,
)
_CMS_TRACE = re.compile(
    r"^(legacy ids?|node ?id|post ?id|page ?id|artikel ?id|sid-?id|content ?id)\s*:\s*(.*)$",
    re.IGNORECASE,
)
_URL_ONLY = re.compile(r"^(https?://\S+|www\.\S+|[\w-]+(\.[\w-]+)+/\S*)$", re.IGNORECASE)
# A "Läs mer ..." link sentence at the end of a paragraph.
_TRAILING_NAV = re.compile(
    r"(?:(?<=[.!?])|^)\s*(Läs mer|Mer information|Se även)\b[^.!?]*[.!?:]?\s*$"
)


def classify_line(line: str) -> Boilerplate | None:
    """Say which kind of boilerplate a stripped line is, or None for content.

    >>> classify_line("Lämna ett svar")
    <Boilerplate.COMMENT_FORM: 'comment_form'>
    >>> classify_line("Värmekuddar används av och till i den akuta fasen.") is None
    True
    """
    folded = line.strip().casefold().rstrip(" :»>›→")
    if not folded:
        return None
    if _CMS_TRACE.match(line.strip()):
        return Boilerplate.CMS_TRACE
    if _COMMENT_FORM.match(folded):
        return Boilerplate.COMMENT_FORM
    if _AD_MARKER.match(folded):
        return Boilerplate.AD_MARKER
    if _AD_LINE.match(folded):
        return Boilerplate.AD
    if folded in _NAVIGATION_LINES or _NAVIGATION_PREFIX.match(folded) or _menu_bar(folded):
        return Boilerplate.NAVIGATION
    if _CREDIT.match(folded):
        return Boilerplate.CREDIT
    if _URL_ONLY.match(folded):
        return Boilerplate.LINK
    if _COOKIE.search(folded) and _is_banner_like(folded):
        return Boilerplate.COOKIE
    return None


def _menu_bar(folded: str) -> bool:
    """ "Logga in | Meny | Sök", "Dela | Skriv ut | Tipsa en vän": every part is chrome."""
    parts = [p.strip() for p in re.split(r"\s[|·•]\s", folded)]
    return len(parts) > 1 and all(p in _NAVIGATION_LINES for p in parts if p)


def _is_banner_like(folded: str) -> bool:
    # "Integritets Preferens" is a banner title; long cookie texts talk about
    # the visitor's browser or consent. A health text that merely mentions
    # "kakor" (food) is neither.
    words = folded.split()
    return len(words) <= 4 or any(
        cue in folded
        for cue in ("webbplats", "website", "browser", "webbläsare", "samtycke", "consent", "besök")
    )


def cms_trace(line: str) -> tuple[str, str] | None:
    """``("legacy_ids", "296")`` for a CMS trace line, else None.

    >>> cms_trace("Legacy ids: 296")
    ('legacy_ids', '296')
    """
    match = _CMS_TRACE.match(line.strip())
    if not match:
        return None
    key = re.sub(r"[^a-z]+", "_", match.group(1).casefold()).strip("_")
    return key, match.group(2).strip()


def trailing_navigation(text: str) -> int:
    """Length of *text* without a final "Läs mer ..." link sentence.

    >>> s = "Du kan få remiss. Läs mer om sjukgymnastik och arbetsterapi."
    >>> s[: trailing_navigation(s)]
    'Du kan få remiss.'
    """
    match = _TRAILING_NAV.search(text)
    if not match or match.start() == 0:
        return len(text)
    return len(text[: match.start()].rstrip())
