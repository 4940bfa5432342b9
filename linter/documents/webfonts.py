"""Web-font stylesheets: which URLs serve only @font-face rules, and the families they name."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

# Services whose stylesheets hold only @font-face rules: a client that does not load one
# shows the next font of the font-family stack, so losing it degrades gracefully.
WEB_FONT_HOSTS = (
    "fonts.googleapis.com",
    "fonts.bunny.net",
    "use.typekit.net",
    "p.typekit.net",
    "fast.fonts.net",
    "fonts.cdnfonts.com",
    "api.fontshare.com",
)


def _host(url: str) -> str:
    try:
        return (urlsplit(url.strip().strip("'\"")).hostname or "").lower()
    except ValueError:  # an unbalanced [ in the netloc
        return ""


def is_web_font_url(url: str | None) -> bool:
    """True when ``url`` is a stylesheet of a web-font service."""
    return bool(url) and _host(url or "") in WEB_FONT_HOSTS


def google_families(url: str) -> list[str]:
    """Family names in a Google Fonts URL (css and css2 forms)."""
    if _host(url) != "fonts.googleapis.com":
        return []
    names: list[str] = []
    for value in parse_qs(urlsplit(url.strip().strip("'\"")).query).get("family", []):
        for family in value.split("|"):
            name = family.split(":")[0].strip()
            if name:
                names.append(name)
    return names
