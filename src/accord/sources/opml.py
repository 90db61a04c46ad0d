"""OPML import: a subscription list becomes outlets with their feeds."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree

from accord.sources.errors import OPMLError
from accord.sources.settings import OutletSource
from accord.sources.urls import is_http_url


def load_opml(path: str | Path) -> list[OutletSource]:
    """Return one OutletSource per outlet named in an OPML file, in file order.

    An outlet is an <outline> with an xmlUrl; it is named by its title, else its text, else the host of its
    htmlUrl or xmlUrl. Outlines of the same name are merged into one outlet with several feeds.
    Raises OPMLError for an unreadable or malformed file. Reads the file only.
    """
    path = Path(path)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=False)
    try:
        root = etree.parse(str(path), parser).getroot()
    except OSError as exc:
        raise OPMLError(f"{path}: cannot read: {exc}") from exc
    except etree.XMLSyntaxError as exc:
        raise OPMLError(f"{path}: malformed OPML: {exc}") from exc
    if etree.QName(root).localname != "opml":
        raise OPMLError(f"{path}: not OPML: root element <{etree.QName(root).localname}>")
    feeds: dict[str, list[str]] = {}
    for outline in root.iter("outline"):
        feed = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if not feed or not is_http_url(feed):
            continue
        name = (outline.get("title") or outline.get("text") or "").strip()
        if not name:
            home = (outline.get("htmlUrl") or "").strip()
            name = (urlsplit(home).hostname or "") if is_http_url(home) else ""
            name = name or (urlsplit(feed).hostname or feed)
        urls = feeds.setdefault(name, [])
        if feed not in urls:
            urls.append(feed)
    return [OutletSource(name=name, feeds=tuple(urls)) for name, urls in feeds.items()]
