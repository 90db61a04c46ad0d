"""A real local HTTP server for the collect tests: saved feeds and pages, generated feeds, and faults.

It listens on 127.0.0.1 only. Virtual hosts (the Host header) select behaviour, so tests reach it under names
such as news.test that the tests' resolver maps to 127.0.0.1:
  robots500.test  robots.txt answers 500          norobots.test  robots.txt answers 404
  slowrobots.test robots.txt has a Crawl-delay
Paths:
  /feeds/<file>             a file of shared/data/rsparser-feeds (served with ETag and Last-Modified)
  /pages/<country>/<name>   a fundus page, gunzipped, text/html
  /news/feed.xml            generated RSS whose items link to /news/pages on this server (ETag, Last-Modified)
  /news/feed.json           the same items as a JSON Feed
  /news/sitemap.xml         the same items as a Google News sitemap
  /private/...              forbidden by robots.txt
  /fault/...                slow, drip, 500, 429, truncated, oversize, wrong type, bad charset
  /redirect/...             loops, chains, to a private address, to file://
"""

from __future__ import annotations

import email.utils
import functools
import gzip
import hashlib
import json
import threading
import time
import zlib
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from tests.shared import DATA

FEEDS = DATA / "rsparser-feeds"
FUNDUS = DATA / "fundus-parser-fixtures" / "test_data"

FEED_TYPES = {
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".xml": "application/xml",
    ".rdf": "application/rdf+xml",
    ".json": "application/feed+json",
    ".opml": "text/x-opml",
}
LAST_MODIFIED = email.utils.formatdate(1_700_000_000, usegmt=True)


@dataclass
class ServerState:
    """What the handler serves and what it saw; tests read `hits` and `conditional_hits`."""

    port: int = 0
    news_pages: list[str] = field(default_factory=list)  # fundus page paths ("uk/TheGuardian_2024_02_24.html.gz")
    extra_links: list[str] = field(default_factory=list)  # more item links for /news/feed.xml (absolute paths)
    hits: Counter[str] = field(default_factory=Counter)
    not_modified: Counter[str] = field(default_factory=Counter)
    active: int = 0  # /synthetic/ requests waiting now
    most_active: int = 0  # the most /synthetic/ requests waiting at once since reset
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reset(self) -> None:
        with self.lock:
            self.hits.clear()
            self.not_modified.clear()
            self.most_active = 0
        self.news_pages = []
        self.extra_links = []


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    # -- helpers ------------------------------------------------------------------------------------------------

    @property
    def state(self) -> ServerState:
        return self.server.state

    @property
    def vhost(self) -> str:
        return (self.headers.get("Host") or "").rsplit(":", 1)[0].lower()

    def send_body(self, status: int, body: bytes, content_type: str | None, headers: dict[str, str] | None = None):
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def send_conditional(self, body: bytes, content_type: str) -> None:
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        validators = {"ETag": etag, "Last-Modified": LAST_MODIFIED}
        if self.headers.get("If-None-Match") == etag or (
            not self.headers.get("If-None-Match") and self.headers.get("If-Modified-Since") == LAST_MODIFIED
        ):
            with self.state.lock:
                self.state.not_modified[urlsplit(self.path).path] += 1
            self.send_response(304)
            for key, value in validators.items():
                self.send_header(key, value)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_body(200, body, content_type, validators)

    def redirect(self, location: str, status: int = 302) -> None:
        self.send_body(status, b"", "text/plain", {"Location": location})

    # -- routes -------------------------------------------------------------------------------------------------

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query)
        with self.state.lock:
            self.state.hits[path] += 1
            hits = self.state.hits[path]
        if path == "/robots.txt":
            return self.robots()
        if path.startswith("/feeds/"):
            file = FEEDS / path.removeprefix("/feeds/")
            if not file.is_file() or file.parent != FEEDS:
                return self.send_body(404, b"not found", "text/plain")
            content_type = FEED_TYPES.get(file.suffix, "application/octet-stream")
            if file.name == "kc0011.rss":
                content_type = "text/xml"  # as many servers do: no charset, the XML declaration says gb2312
            return self.send_conditional(file.read_bytes(), content_type)
        if path.startswith(("/pages/", "/news/pages/", "/private/")):
            name = path.split("/pages/", 1)[-1] if "/pages/" in path else path.removeprefix("/private/")
            file = FUNDUS / (name if name.endswith(".gz") else name + ".gz")
            if not file.is_file() or FUNDUS.resolve() not in file.resolve().parents:  # FUNDUS may be reached by a link
                return self.send_body(404, b"not found", "text/plain")
            return self.send_body(200, gzip.decompress(file.read_bytes()), "text/html")
        if path == "/news/feed.xml":
            return self.send_conditional(self.news_rss(), "application/rss+xml; charset=utf-8")
        if path == "/news/feed.json":
            return self.send_conditional(self.news_json(), "application/feed+json")
        if path == "/news/sitemap.xml":
            return self.send_conditional(self.news_sitemap(), "application/xml")
        if path.startswith("/fault/"):
            return self.fault(path.removeprefix("/fault/"), query, hits)
        if path.startswith("/redirect/"):
            return self.redirects(path.removeprefix("/redirect/"))
        if path.startswith("/synthetic/"):
            # Concurrency is measured over the wait only: the time between a write and the handler's return
            # would count a finished request as still active.
            with self.state.lock:
                self.state.active += 1
                self.state.most_active = max(self.state.most_active, self.state.active)
            time.sleep(float(query.get("delay", ["0"])[0]))
            with self.state.lock:
                self.state.active -= 1
            return self.send_body(200, synthetic_page(int(path.rsplit("/", 1)[-1])), "text/html; charset=utf-8")
        return self.send_body(404, b"not found", "text/plain")

    def robots(self) -> None:
        if self.vhost.startswith("robots500."):
            return self.send_body(500, b"oops", "text/plain")
        if self.vhost.startswith("norobots."):
            return self.send_body(404, b"none", "text/plain")
        rules = "User-agent: *\nDisallow: /private/\n"
        if self.vhost.startswith("slowrobots."):
            rules += "Crawl-delay: 2\n"
        if self.vhost.startswith("picky."):
            rules = "User-agent: accord-test-bot\nDisallow: /\n\nUser-agent: *\nDisallow:\n"
        self.send_body(200, rules.encode(), "text/plain")

    def news_links(self) -> list[str]:
        base = f"http://{self.headers.get('Host')}"
        links = [f"{base}/news/pages/{p.removesuffix('.gz')}" for p in self.state.news_pages]
        return links + [link if link.startswith("http") else base + link for link in self.state.extra_links]

    def news_rss(self) -> bytes:
        items = "".join(
            f"<item><title>Item {i}</title><link>{link.replace('&', '&amp;')}</link>"
            f"<pubDate>{email.utils.formatdate(1_700_000_000 + i * 60, usegmt=True)}</pubDate></item>"
            for i, link in enumerate(self.news_links())
        )
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Test News</title>'
            f"<link>http://{self.headers.get('Host')}/</link>{items}</channel></rss>"
        ).encode()

    def news_json(self) -> bytes:
        items = [
            {"id": link, "url": link, "title": f"Item {i}", "date_published": "2024-03-07T10:00:00Z"}
            for i, link in enumerate(self.news_links())
        ]
        return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "Test", "items": items}).encode()

    def news_sitemap(self) -> bytes:
        urls = "".join(
            f"<url><loc>{link.replace('&', '&amp;')}</loc><news:news><news:title>Item {i}</news:title>"
            f"<news:publication_date>2024-03-0{1 + i % 9}T10:00:00Z</news:publication_date></news:news></url>"
            for i, link in enumerate(self.news_links())
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>'
        ).encode()

    def fault(self, name: str, query: dict[str, list[str]], hits: int) -> None:
        page = b"<html><head><title>Fault page</title></head><body><article><p>" + b"Words of a report. " * 40
        page += b"</p></article></body></html>"
        if name == "slow":  # headers only after a long wait
            time.sleep(float(query.get("delay", ["5"])[0]))
            return self.send_body(200, page, "text/html")
        if name == "drip":  # headers at once, then one byte every 0.2 s: each read is quick, the whole is not
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            try:
                for _ in range(200):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                pass
            return None
        if name == "500":
            return self.send_body(500, b"server error", "text/plain")
        if name == "404":
            return self.send_body(404, b"not found", "text/plain")
        if name == "429":  # 429 with Retry-After on the first request, then the page
            if hits == 1:
                return self.send_body(429, b"slow down", "text/plain", {"Retry-After": query.get("after", ["2"])[0]})
            return self.send_body(200, page, "text/html")
        if name == "503-date":
            when = email.utils.formatdate(time.time() + 3600, usegmt=True)
            return self.send_body(503, b"later", "text/plain", {"Retry-After": when})
        if name == "truncated":  # declares more than it sends, then closes
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(page) * 2))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(page)
            self.close_connection = True
            return None
        if name == "oversize":
            return self.send_body(200, page * 200, "text/html")
        if name == "oversize-chunked":  # no Content-Length: the cap must hold while streaming
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            try:
                for _ in range(200):
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(page), page))
                self.wfile.write(b"0\r\n\r\n")
            except OSError:
                pass
            return None
        if name == "wrongtype":
            return self.send_body(200, b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "image/png")
        if name == "html-as-feed":
            return self.send_body(200, page, "text/html")
        if name == "bogus-charset":  # UTF-8 body, a charset label nobody knows
            body = "<html><head><title>Café in Zürich</title></head><body><article><p>"
            body += (
                "Über den Fluss gingen die Menschen, während die Sirenen heulten. " * 20
                + "</p></article></body></html>"
            )
            return self.send_body(200, body.encode("utf-8"), "text/html; charset=x-no-such-charset")
        if name == "gzip-bomb":  # 10 MB of zeros in about 10 kB
            return self.send_body(200, gzip_bomb(), "text/html", {"Content-Encoding": "gzip"})
        if name == "gzip-gzip-bomb":  # 200 MB of zeros, gzipped twice: about 1 kB on the wire (issue 20)
            return self.send_body(200, double_gzip_bomb(), "text/html", {"Content-Encoding": "gzip, gzip"})
        if name == "gzip-gzip":  # a page gzipped twice, as a proxy that compresses again sends it
            body = gzip.compress(gzip.compress(page))
            return self.send_body(200, body, "text/html", {"Content-Encoding": "gzip, gzip"})
        if name == "gzip-members":  # two gzip members one after the other (RFC 1952 allows it)
            half = len(page) // 2
            body = gzip.compress(page[:half]) + gzip.compress(page[half:])
            return self.send_body(200, body, "text/html", {"Content-Encoding": "gzip"})
        if name == "deflate":  # the zlib format, as RFC 9110 says
            return self.send_body(200, zlib.compress(page), "text/html", {"Content-Encoding": "deflate"})
        if name == "deflate-raw":  # raw deflate, as some servers send for "deflate"
            raw = zlib.compressobj(wbits=-zlib.MAX_WBITS)
            return self.send_body(200, raw.compress(page) + raw.flush(), "text/html", {"Content-Encoding": "deflate"})
        if name == "unknown-encoding":
            return self.send_body(200, page, "text/html", {"Content-Encoding": "x-made-up"})
        if name == "bad-gzip":
            return self.send_body(200, b"this is not gzip" * 10, "text/html", {"Content-Encoding": "gzip"})
        if name == "empty":
            return self.send_body(200, b"<html><body><nav>Home</nav></body></html>", "text/html")
        return self.send_body(404, b"no such fault", "text/plain")

    def redirects(self, name: str) -> None:
        if name == "loop-a":
            return self.redirect("/redirect/loop-b")
        if name == "loop-b":
            return self.redirect("/redirect/loop-a")
        if name.startswith("chain-"):
            left = int(name.removeprefix("chain-"))
            return self.redirect(f"/redirect/chain-{left - 1}" if left > 1 else "/fault/bogus-charset", 301)
        if name == "private":
            return self.redirect("http://169.254.169.254/latest/meta-data/")
        if name == "internal":
            return self.redirect(f"http://internal.test:{self.state.port}/pages/x")
        if name == "file":
            return self.redirect("file:///etc/passwd")
        if name == "robots":
            return self.redirect("/private/uk/TheGuardian_2024_02_24.html.gz")
        if name == "to-page":
            target = self.state.news_pages[0].removesuffix(".gz") if self.state.news_pages else "missing"
            return self.redirect(f"/news/pages/{target}?utm_source=redirect", 301)
        if name == "no-location":
            return self.send_body(302, b"", "text/plain")
        return self.send_body(404, b"no such redirect", "text/plain")


@functools.cache
def gzip_bomb() -> bytes:
    """10 MB of zeros in an HTML page, gzipped: about 10 kB."""
    return gzip.compress(b"<html><body>" + b"0" * 10_000_000, compresslevel=9)


@functools.cache
def double_gzip_bomb(size: int = 200_000_000) -> bytes:
    """`size` zero bytes, gzipped, gzipped again (compressed in 1 MB steps: the zeros are never held whole)."""
    inner = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"\0" * 1_000_000
    parts = [inner.compress(block) for _ in range(size // len(block))]
    parts.append(inner.flush())
    return gzip.compress(b"".join(parts), compresslevel=9)


TOWNS = ["Idlib", "Homs", "Aleppo", "Raqqa", "Deir ez-Zor", "Hama", "Daraa", "Latakia"]


def synthetic_page(n: int) -> bytes:
    """An article page of a made-up outlet: its own report paragraphs plus the tagline every page repeats."""
    town = TOWNS[n % len(TOWNS)]
    paragraphs = [
        f"An air strike on a market in {town} killed {n + 3} people on Tuesday, a monitor said.",
        f"Residents of {town} said the aircraft struck twice within an hour, hitting rescuers on the second pass.",
        f"The monitor said the toll in {town} could rise because {n + 1} of the wounded were in a critical state.",
        "The Daily Example is funded by its readers. Support independent journalism today.",
    ]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<html><head><title>Strike in {town}</title></head><body><header>Menu</header>"
        f"<article><h1>Strike in {town}</h1>{body}</article><footer>About us</footer></body></html>"
    ).encode()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    state: ServerState

    def handle_error(self, request: object, client_address: object) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):  # clients that hang up early are the point
            super().handle_error(request, client_address)


def start_server() -> tuple[_Server, threading.Thread]:
    """Start the server on 127.0.0.1 at a random free port; return it and its thread."""
    server = _Server(("127.0.0.1", 0), Handler)
    server.state = ServerState(port=server.server_address[1])
    thread = threading.Thread(target=server.serve_forever, name="accord-test-http", daemon=True)
    thread.start()
    return server, thread
