"""Article pages: decoding, main-text extraction (trafilatura), boilerplate lines, language."""

from __future__ import annotations

import codecs
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

import charset_normalizer
import trafilatura

from accord.dates import parse_datetime
from accord.sources.errors import ExtractionError

# Lines news sites put between or under paragraphs that are no part of the report. A pattern only applies to a
# short line (at most _GENERIC_MAX_WORDS words), so a paragraph that happens to start with "Related" stays.
GENERIC_BOILERPLATE = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"^(read|see|watch|listen)( more| also| next)?\s*[:|»>-].*",  # "READ MORE: ...", "Watch: ..."
        r"^(also read|related( articles?| stories| coverage| content| news)?|recommended( reading| videos)?|"
        r"more from .*|more on this( story)?|most (read|popular|viewed)( in \w+)?|trending( now)?|top stories)"
        r"\s*([:|»>-].*)?$",
        r"^(advertisement|sponsored( content)?|ad|story continues below( advertisement)?|"
        r"scroll (down )?to continue.*|skip advert(isement)?|continue reading.*|article continues (below|after).*)$",
        r"^loading(\.|…)*$",
        r"^(share|share this( article| story| page)?|share on \w+( and \w+)?|tweet|email|print|copy link|"
        r"link copied)[.!:]?$",
        r"^(subscribe|sign up|register|log ?in|newsletter|get our newsletter|follow us|join us)\b.*$",
        r"^(click|tap) here\b.*$",
        r"^(©|\(c\)|copyright\b).*$",
        r"^all rights reserved\.?$",
        r"^(image|photo|video|picture)( credit| source)?\s*:.*$",
        r"^(getty images|reuters|ap photo|afp)( via getty images)?$",
        r"^(we use cookies|this site uses cookies|accept (all )?cookies)\b.*$",
    )
)
_GENERIC_MAX_WORDS = 25
# Below this a "text" is a menu label or a cookie line, not a report; the shortest fundus body has 300+.
MIN_TEXT_CHARS = 40


@dataclass(frozen=True)
class PageContent:
    """What one article page yields: title, main text, date, author(s) and language."""

    title: str
    text: str
    published: datetime | None
    author: str | None
    language: str | None


def decode_html(content: bytes, content_type: str = "") -> str:
    """Return the page as text: BOM, else the HTTP charset, else <meta charset>, else detection, else UTF-8.

    A declared charset that is unknown or does not decode the bytes is ignored, and so is a declared
    single-byte charset (latin-1, windows-1252...) when the bytes are valid UTF-8 with non-ASCII characters:
    such pages were re-encoded without their label being updated (two fundus pages decode to "fÃ¼r" otherwise).
    """
    bom = _bom_encoding(content)
    if bom:
        text = _try_decode(content, bom)
        if text is not None:
            return text
    declared = _header_charset(content_type) or _meta_charset(content)
    if declared and _is_single_byte(declared) and not content.isascii():
        text = _try_decode(content, "utf-8")
        if text is not None:
            return text
    for encoding in (_header_charset(content_type), _meta_charset(content)):
        text = _try_decode(content, encoding)
        if text is not None:
            return text
    text = _try_decode(content, "utf-8")
    if text is not None:
        return text
    best = charset_normalizer.from_bytes(content[:200_000]).best()
    if best is not None and best.encoding:
        text = _try_decode(content, best.encoding)
        if text is not None:
            return text
    return content.decode("utf-8", errors="replace")


def _is_single_byte(encoding: str) -> bool:
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return False
    return name in ("ascii", "latin-1", "iso8859-1") or name.startswith(("cp125", "iso8859-", "windows-125"))


def _bom_encoding(content: bytes) -> str | None:
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if content.startswith(bom):
            return name
    return None


def _header_charset(content_type: str) -> str | None:
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type, re.IGNORECASE)
    return match.group(1) if match else None


def _meta_charset(content: bytes) -> str | None:
    head = content[:4096]
    match = re.search(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", head, re.IGNORECASE)
    return match.group(1).decode("ascii", errors="ignore") if match else None


def _try_decode(content: bytes, encoding: str | None) -> str | None:
    if not encoding:
        return None
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return None
    if name in ("gb2312", "gbk"):
        name = "gb18030"  # a superset: pages labelled gb2312 routinely use GBK characters
    if name in ("ascii", "iso8859-1"):
        # Browsers read both labels as windows-1252 (WHATWG encoding standard); so do we.
        name = "cp1252"
    try:
        return content.decode(name)
    except (UnicodeDecodeError, LookupError):
        return None


def extract_page(html: str | bytes, url: str | None = None, *, content_type: str = "") -> PageContent:
    """Extract title, main text, date, author and language from one article page.

    The text has the generic boilerplate lines removed (outlet-specific ones are the collector's, see
    `learn_boilerplate`). Raises ExtractionError when no main text is found.
    """
    if isinstance(html, bytes):
        html = decode_html(html, content_type)
    document = _extract(html, url, favor_recall=False)
    text = (getattr(document, "text", None) or "").strip() if document is not None else ""
    if not text:
        # Short or oddly built pages that the precise pass leaves empty (HankookIlbo in the fundus fixtures).
        document = _extract(html, url, favor_recall=True) or document
        text = (getattr(document, "text", None) or "").strip() if document is not None else ""
    text = remove_boilerplate(text)
    if len(text) < MIN_TEXT_CHARS:
        raise ExtractionError(f"no main text found ({len(text)} characters)")
    title = clean_title(getattr(document, "title", None) or "", getattr(document, "sitename", None), url)
    return PageContent(
        title=title,
        text=text,
        published=parse_datetime(getattr(document, "date", None)),
        author=(getattr(document, "author", None) or None),
        language=detect_language(text),
    )


# Separators before a trailing site name: " | CBC News", " - WELT", " – DW – 13.06.2023", "：朝日新聞デジタル",
# "｜日刊ゲンダイDIGITAL", "ㅣ한국일보". An unspaced hyphen is part of a word ("Börsen-Zeitung"), not a separator.
_TITLE_SEPARATOR = re.compile(r"\s+[|\-–—·•]\s+|\s*[|｜：ㅣ]\s*")
_DATE_SEGMENT = re.compile(r"^[\d\s./-]+$")


def clean_title(title: str, sitename: str | None = None, url: str | None = None) -> str:
    """Return the headline without trailing site names and dates ("Strike kills 12 | CBC News" -> "Strike kills 12").

    A trailing segment goes only when it is a date or names the site (its sitename, or its host name or a part
    of it), so a headline's own dash ("Israel - Gaza talks") stays.
    """
    title = " ".join(title.split())
    names = {_letters(sitename)} if sitename else set()
    if url:
        host = (urlsplit(url).hostname or "").removeprefix("www.")
        names.update(_letters(part) for part in host.split(".")[:-1] if len(part) > 2)
        names.add(_letters(host))
    names.discard("")
    while True:
        separators = list(_TITLE_SEPARATOR.finditer(title))
        if not separators or separators[-1].start() < 8:
            return title
        last = separators[-1]
        segment = title[last.end() :].strip()
        tail = _letters(segment)
        # The segment is the site's name, part of it ("WELT" of welt.de), or the name with a little more
        # ("Golem.de"); a longer segment that mentions the site ("Gaza talks with Reuters") is headline.
        names_site = bool(tail) and any(tail in n or (n in tail and len(tail) <= len(n) + 6) for n in names)
        if not (names_site or _DATE_SEGMENT.match(segment)):
            return title
        title = title[: last.start()].rstrip()


def _letters(text: str) -> str:
    """Return the lowercase letters and digits of `text`, accents removed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum())


# trafilatura (lxml and its readability fallback) is not safe to run from several threads at once: the collector's page
# pool crashed the process with a segmentation fault inside `bare_extraction` (a fresh-clone test run, 2026-12-04). The
# pages are still fetched in parallel; only their extraction, CPU-bound under the GIL anyway, takes turns.
_EXTRACTING = threading.Lock()


def _extract(html: str, url: str | None, *, favor_recall: bool) -> object | None:
    try:
        with _EXTRACTING:
            return trafilatura.bare_extraction(
                html,
                url=url,
                include_comments=False,  # reader comments are not the report; measured +0.6 F1 points on fundus
                with_metadata=True,
                favor_recall=favor_recall,
            )
    except Exception as exc:  # trafilatura raises assorted lxml/ValueError types on hostile markup
        raise ExtractionError(f"extraction failed: {type(exc).__name__}: {exc}") from exc


def _normal_line(line: str) -> str:
    return " ".join(line.split()).casefold()


def is_generic_boilerplate(line: str) -> bool:
    """Return True when a line is one of the generic non-report lines (read more, share, subscribe...)."""
    normal = " ".join(line.split())
    if not normal or len(normal.split()) > _GENERIC_MAX_WORDS:
        return False
    return any(pattern.match(normal) for pattern in GENERIC_BOILERPLATE)


def learn_boilerplate(texts: Sequence[str], *, min_pages: int = 3, min_share: float = 0.3) -> frozenset[str]:
    """Return the lines one outlet repeats across its pages: in at least `min_pages` texts and `min_share` of them.

    `texts` are the extracted texts of one outlet's pages. Lines are compared case- and space-insensitively and
    returned in that normal form, for `remove_boilerplate`. A pure function.
    """
    if len(texts) < max(2, min_pages):
        return frozenset()
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update({_normal_line(line) for line in text.splitlines() if line.strip()})
    needed = max(min_pages, min_share * len(texts))
    return frozenset(line for line, count in counts.items() if count >= needed)


def remove_boilerplate(text: str, learned: Collection[str] = (), *, max_removed_share: float = 0.5) -> str:
    """Return `text` without generic boilerplate lines and without the `learned` lines of its outlet.

    When the learned lines would remove more than `max_removed_share` of the text, the page is taken to be a
    copy of another page of the outlet (an update, a re-post) rather than boilerplate, and only generic lines go.
    """
    lines = text.splitlines()
    kept = [line for line in lines if not is_generic_boilerplate(line)]
    if learned:
        without_learned = [line for line in kept if _normal_line(line) not in learned]
        before = sum(len(line) for line in kept)
        after = sum(len(line) for line in without_learned)
        if before and (before - after) / before <= max_removed_share:
            kept = without_learned
    return "\n".join(line for line in kept if line.strip()).strip()


def detect_language(text: str) -> str | None:
    """Return the ISO 639-1 code of the text's language, or None for text too short to tell (< 40 letters)."""
    sample = text[:5000]
    if sum(ch.isalpha() for ch in sample) < 40:
        return None
    import py3langid  # loads its model on first use (about 0.3 s)

    language, _score = py3langid.classify(sample)
    return str(language)
