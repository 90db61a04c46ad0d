"""Canonical URLs: one spelling per report, so the same page reached by two links is stored once."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that only track the visitor or the campaign; they never select different content.
# utm_* (Google Analytics), fbclid/gclid/msclkid (ad click ids), mc_* (Mailchimp), and the feed/social
# markers news sites append to RSS links ("?ref=rss" on derstandard.at, "?source=rss-..." on medium.com).
_TRACKING_PARAM = re.compile(
    r"^(utm_\w*|fbclid|gclid|dclid|gclsrc|msclkid|yclid|igshid|mc_cid|mc_eid|_hsenc|_hsmi|mkt_tok|"
    r"ref|ref_src|referrer|source|cmpid|ocid|smid|smtyp|ito|at_medium|at_campaign|at_custom\d*|"
    r"ns_mchannel|ns_source|ns_campaign|ns_linkname|ns_fee|wt_mc|wt\.mc_id|sr_share|xtor|"
    r"__twitter_impression|s_cid|intcmp)$",
    re.IGNORECASE,
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_url(url: str) -> str:
    """Return the canonical form of an http(s) URL.

    Lowercases scheme and host, drops the default port, the fragment and tracking parameters, sorts the
    remaining query parameters, and gives an empty path as "/". Other URLs are returned
    stripped of surrounding spaces. Raises ValueError for a URL with no host.
    """
    url = url.strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        return url
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise ValueError(f"URL has no host: {url!r}")
    try:
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"URL has a bad port: {url!r}") from exc
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc = f"{netloc}:{port}"
    path = re.sub(r"/{2,}", "/", parts.path) or "/"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING_PARAM.match(k)]
    query.sort()
    return urlunsplit((scheme, netloc, path, urlencode(query, doseq=True), ""))


def is_http_url(url: str) -> bool:
    """Return True when `url` is an absolute http or https URL with a host."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in _DEFAULT_PORTS and bool(parts.hostname)
