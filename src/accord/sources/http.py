"""A safe, polite HTTP fetcher over httpx.

Safe: only http(s); every hop's host is resolved and refused when it is loopback, private, link-local or a
metadata address (redirects are followed here, one checked hop at a time), and with the default transport the
check is repeated at connect time on the very address connected to, so DNS rebinding cannot slip past it.
Bounded: connect/read timeouts, a total deadline per fetch (enforced on every socket read), a size cap, a
content-type check, a redirect limit.
Polite: robots.txt obeyed, per-host concurrency and delay, retries with exponential back-off on timeouts, 5xx
and 429, honouring Retry-After up to a cap; conditional GET is the caller's (it passes the validators).
"""

from __future__ import annotations

import threading
import time
import urllib.robotparser
import zlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from accord.sources.addresses import AddressPolicy, Resolver
from accord.sources.errors import (
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    RedirectError,
    ResponseTooLarge,
    RobotsDisallowed,
    TransportError,
    UnexpectedContentType,
    UnsafeURLError,
)
from accord.sources.settings import FetchSettings

Clock = Callable[[], datetime]
Sleep = Callable[[float], None]

_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Content codings decoded here, stream-wise under the size cap (httpx's own decoders inflate a whole network chunk at
# once: a 1 kB `gzip, gzip` body held 1.2 GB). Anything else is refused, and only these are asked for.
_ACCEPT_ENCODING = "gzip, deflate"
# The most bytes one decompress call may return: what a layer holds at once, whatever the compression ratio.
_DECODE_PIECE = 64 * 1024
_RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})

# Content types accepted per kind of fetch: a substring test on the media type. A missing header is accepted.
_ACCEPTED_TYPES: dict[str, tuple[str, ...]] = {
    "feed": ("xml", "rss", "atom", "rdf", "json", "text/plain", "octet-stream"),
    "page": ("text/html", "xhtml", "text/plain"),
    "sitemap": ("xml", "text/plain", "gzip", "octet-stream"),
    "robots": ("",),
}
_ACCEPT_HEADERS = {
    "feed": "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5",
    "page": "text/html, application/xhtml+xml;q=0.9, */*;q=0.5",
    "sitemap": "application/xml, text/xml;q=0.9, */*;q=0.5",
    "robots": "text/plain, */*;q=0.5",
}


@dataclass(frozen=True)
class FetchResult:
    """A successful fetch: 2xx with a body, or 304 (`not_modified`, empty body)."""

    url: str
    final_url: str
    status: int
    headers: Mapping[str, str]
    content: bytes
    redirects: tuple[str, ...] = ()

    @property
    def not_modified(self) -> bool:
        """True when the server answered 304 to a conditional request."""
        return self.status == 304

    @property
    def content_type(self) -> str:
        """The Content-Type header, or the empty string."""
        return self.headers.get("content-type", "")


class _Deadline(threading.local):
    """The monotonic deadline of the fetch running on this thread (None outside a fetch).

    Time spent queued for a host (per-host delay and concurrency) moves the deadline on: politeness is not the
    server's slowness. `waited` adds that time up, so a fetch inside a fetch can hand it to the outer one.
    """

    at: float | None = None
    waited: float = 0.0

    def extend(self, seconds: float) -> None:
        if self.at is not None:
            self.at += seconds
        self.waited += seconds

    def remaining(self) -> float:
        return float("inf") if self.at is None else self.at - time.monotonic()


def _clamp(deadline: _Deadline, timeout: float | None, exc: type[Exception]) -> float | None:
    """Return `timeout` shortened to what is left before the deadline; raise `exc` when nothing is left."""
    if deadline.at is None:
        return timeout
    remaining = deadline.at - time.monotonic()
    if remaining <= 0:
        raise exc("total deadline of the fetch passed")
    return remaining if timeout is None else min(timeout, remaining)


class _DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every read and write waits no longer than the current fetch's deadline."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: _Deadline) -> None:
        self._inner = inner
        self._deadline = deadline

    def _clamp(self, timeout: float | None, exc: type[Exception]) -> float | None:
        return _clamp(self._deadline, timeout, exc)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._clamp(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._clamp(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None) -> Any:
        inner = self._inner.start_tls(ssl_context, server_hostname, self._clamp(timeout, httpcore.ConnectTimeout))
        return _DeadlineStream(inner, self._deadline)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _GuardedBackend(httpcore.NetworkBackend):
    """Connects only to addresses the policy allows, resolving the host itself, within the fetch deadline."""

    def __init__(self, policy: AddressPolicy, deadline: _Deadline) -> None:
        self._inner = httpcore.SyncBackend()
        self._policy = policy
        self._deadline = deadline

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        try:
            addresses = self._policy.check_host(host)
        except UnsafeURLError as exc:
            raise httpcore.ConnectError(f"refused: {exc}") from exc
        last: Exception | None = None
        for address in addresses:
            clamped = _clamp(self._deadline, timeout, httpcore.ConnectTimeout)
            try:
                stream = self._inner.connect_tcp(address, port, clamped, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
                continue
            return _DeadlineStream(stream, self._deadline)
        assert last is not None
        raise last

    def connect_unix_socket(self, path: str, timeout: float | None = None, socket_options: Any = None) -> Any:
        raise httpcore.ConnectError("unix sockets are not used by the collector")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class _GuardedTransport(httpx.HTTPTransport):
    """httpx's transport with its connection pool built on the guarded network backend."""

    def __init__(self, policy: AddressPolicy, deadline: _Deadline, max_connections: int) -> None:
        super().__init__(trust_env=False)
        # httpx does not expose the network backend; the pool is rebuilt with the same defaults plus ours.
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=max_connections,
            max_keepalive_connections=max_connections,
            keepalive_expiry=5.0,
            network_backend=_GuardedBackend(policy, deadline),
        )


class _HostGate:
    """Per-host concurrency and spacing of request starts."""

    def __init__(self, concurrency: int, delay: float, sleep: Sleep) -> None:
        self._concurrency = concurrency
        self._delay = delay
        self._sleep = sleep
        self._lock = threading.Lock()
        self._slots: dict[str, threading.Semaphore] = {}
        self._next_start: dict[str, float] = {}
        self._host_delay: dict[str, float] = {}

    def set_delay(self, host: str, delay: float) -> None:
        with self._lock:
            self._host_delay[host] = max(self._delay, delay)

    @contextmanager
    def slot(self, host: str) -> Iterator[None]:
        with self._lock:
            slot = self._slots.setdefault(host, threading.Semaphore(self._concurrency))
        slot.acquire()
        try:
            with self._lock:
                now = time.monotonic()
                start = max(now, self._next_start.get(host, now))
                self._next_start[host] = start + self._host_delay.get(host, self._delay)
            if start > now:
                self._sleep(start - now)
            yield
        finally:
            slot.release()


@dataclass(frozen=True)
class _Robots:
    """robots.txt rules of one origin; `error` is set when it could not be read (then everything is disallowed)."""

    parser: urllib.robotparser.RobotFileParser | None
    allow_all: bool
    error: str | None = None

    def allows(self, url: str, user_agent: str) -> bool:
        if self.allow_all:
            return True
        if self.parser is None:
            return False
        return self.parser.can_fetch(user_agent, url)


class Fetcher:
    """Fetches URLs under the safety and politeness rules of `FetchSettings`. Thread-safe; close() when done."""

    def __init__(
        self,
        settings: FetchSettings,
        *,
        transport: httpx.BaseTransport | None = None,
        resolver: Resolver | None = None,
        clock: Clock | None = None,
        sleep: Sleep | None = None,
    ) -> None:
        self.settings = settings
        self.policy = AddressPolicy(
            resolver,
            allow_private_addresses=settings.allow_private_addresses,
            allowed_networks=settings.allowed_networks,
        )
        self._clock = clock if clock is not None else (lambda: datetime.now(UTC))
        self._sleep = sleep if sleep is not None else time.sleep
        self._deadline = _Deadline()
        self._gate = _HostGate(settings.per_host_concurrency, settings.per_host_delay, self._sleep)
        self._robots: dict[str, _Robots] = {}
        self._robots_lock = threading.Lock()
        self._client = httpx.Client(
            transport=transport or _GuardedTransport(self.policy, self._deadline, 10 * settings.per_host_concurrency),
            follow_redirects=False,
            trust_env=False,
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": _ACCEPT_ENCODING},
        )

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- public -------------------------------------------------------------------------------------------------

    def fetch(self, url: str, *, kind: str = "page", headers: Mapping[str, str] | None = None) -> FetchResult:
        """Fetch `url` as a `kind` ("feed", "page", "sitemap", "robots"), following redirects hop by hop.

        Raises a FetchError subclass: UnsafeURLError, RobotsDisallowed, FetchTimeout, HTTPStatusError,
        RedirectError, ResponseTooLarge, UnexpectedContentType or TransportError. A 304 is returned, not raised.
        """
        settings = self.settings
        clock = self._deadline
        outer_at, outer_waited = clock.at, clock.waited
        deadline = time.monotonic() + settings.total_timeout
        if outer_at is not None:
            # A fetch inside a fetch (robots.txt for a page) spends the outer fetch's time, not its own.
            deadline = min(deadline, outer_at)
        clock.at, clock.waited = deadline, 0.0
        try:
            attempt = 0
            while True:
                try:
                    return self._fetch_once(url, kind, headers or {}, clock)
                except (FetchTimeout, TransportError, HTTPStatusError) as exc:
                    if isinstance(exc, HTTPStatusError) and exc.status not in _RETRY_STATUSES:
                        raise
                    if attempt >= settings.retries:
                        raise
                    wait = exc.retry_after if isinstance(exc, HTTPStatusError) else None
                    if wait is None:
                        wait = settings.backoff * (2**attempt)
                    if wait >= clock.remaining():
                        raise
                    self._sleep(wait)
                    attempt += 1
        finally:
            inner_waited = clock.waited
            clock.at, clock.waited = outer_at, outer_waited
            clock.extend(inner_waited)

    def robots_error(self, url: str) -> str | None:
        """Return why robots.txt for the URL's origin could not be read (all is then disallowed), or None."""
        if not self.settings.obey_robots:
            return None
        return self._robots_for(url).error

    def allowed_by_robots(self, url: str) -> bool:
        """Return True when robots.txt of the URL's origin lets our user agent fetch it."""
        if not self.settings.obey_robots:
            return True
        return self._robots_for(url).allows(url, self.settings.user_agent)

    # -- internals ----------------------------------------------------------------------------------------------

    def _fetch_once(self, url: str, kind: str, headers: Mapping[str, str], deadline: _Deadline) -> FetchResult:
        """One attempt: follow redirects, checking scheme, address and robots.txt on every hop."""
        seen = [url]
        current = url
        while True:
            self.policy.check_url(current)
            if kind != "robots" and not self.allowed_by_robots(current):
                error = self._robots_for(current).error
                reason = f"robots.txt unreadable ({error}), assuming disallow" if error else "disallowed by robots.txt"
                raise RobotsDisallowed(current, reason)
            status, response_headers, content = self._send(current, kind, headers, deadline)
            if status in _REDIRECT_STATUSES:
                location = response_headers.get("location")
                if not location:
                    raise RedirectError(current, f"redirect {status} without Location", status=status)
                target = urljoin(current, location.strip())
                if target in seen:
                    raise RedirectError(url, f"redirect loop at {target}", status=status)
                if len(seen) > self.settings.max_redirects:
                    raise RedirectError(url, f"more than {self.settings.max_redirects} redirects", status=status)
                seen.append(target)
                current = target
                continue
            return FetchResult(
                url=url,
                final_url=current,
                status=status,
                headers=response_headers,
                content=content,
                redirects=tuple(seen[1:]),
            )

    def _send(
        self, url: str, kind: str, headers: Mapping[str, str], deadline: _Deadline
    ) -> tuple[int, dict[str, str], bytes]:
        settings = self.settings
        host = (urlsplit(url).hostname or "").lower()
        request_headers = {"Accept": _ACCEPT_HEADERS.get(kind, "*/*"), **headers}
        queued = time.monotonic()
        with self._gate.slot(host):
            deadline.extend(time.monotonic() - queued)
            remaining = deadline.remaining()
            if remaining <= 0:
                raise FetchTimeout(url, f"total deadline of {settings.total_timeout:g}s passed")
            timeout = httpx.Timeout(
                connect=min(settings.connect_timeout, remaining),
                read=min(settings.read_timeout, remaining),
                write=min(settings.read_timeout, remaining),
                pool=min(settings.connect_timeout, remaining),
            )
            try:
                with self._client.stream("GET", url, headers=request_headers, timeout=timeout) as response:
                    status = response.status_code
                    response_headers = {k.lower(): v for k, v in response.headers.items()}
                    if status in _REDIRECT_STATUSES or status == 304:
                        return status, response_headers, b""
                    if not 200 <= status < 300:
                        retry_after = self._retry_after(response_headers.get("retry-after"))
                        raise HTTPStatusError(url, f"HTTP {status}", status=status, retry_after=retry_after)
                    self._check_content_type(url, kind, response_headers.get("content-type", ""), status)
                    return status, response_headers, self._read_body(url, response, deadline)
            except httpx.TimeoutException as exc:
                raise FetchTimeout(url, f"timeout: {exc or type(exc).__name__}") from exc
            except httpx.TransportError as exc:
                message = str(exc) or type(exc).__name__
                if "refused:" in message:
                    raise UnsafeURLError(url, message.split("refused: ", 1)[-1]) from exc
                raise TransportError(url, f"{type(exc).__name__}: {message}") from exc
            except httpx.InvalidURL as exc:
                raise UnsafeURLError(url, f"invalid URL: {exc}") from exc
            except (httpx.HTTPError, httpx.StreamError) as exc:  # DecodingError (bad gzip), protocol errors
                raise TransportError(url, f"{type(exc).__name__}: {exc}") from exc

    def _read_body(self, url: str, response: httpx.Response, deadline: _Deadline) -> bytes:
        """Read the body, decoding its content codings here, layer by layer, never past the size cap.

        The raw bytes (as sent) and every decoded layer are held to `max_bytes`, and each decompress call returns at
        most _DECODE_PIECE bytes, so a compression bomb (one layer or several: `gzip, gzip`) costs at most about
        the cap in memory before it is refused.
        """
        cap = self.settings.max_bytes
        status = response.status_code
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > cap:
            raise ResponseTooLarge(url, f"Content-Length {declared} above the cap of {cap} bytes", status=status)

        def too_large(layer: str) -> ResponseTooLarge:
            return ResponseTooLarge(url, f"body above the cap of {cap} bytes ({layer})", status=status)

        def raw() -> Iterator[bytes]:
            size = 0
            for chunk in response.iter_raw():
                size += len(chunk)
                if size > cap:
                    raise too_large("as sent")
                if deadline.remaining() < 0:
                    raise FetchTimeout(url, f"total deadline of {self.settings.total_timeout:g}s passed while reading")
                yield chunk

        codings = [c.strip().lower() for c in response.headers.get("content-encoding", "").split(",") if c.strip()]
        stream: Iterator[bytes] = raw()
        # Codings are listed in the order they were applied: undo the last first.
        for number, coding in enumerate(reversed(codings), 1):
            stream = _decode_layer(url, stream, coding, cap, too_large(f"{coding}, layer {number} decoded"))
        chunks: list[bytes] = []
        for chunk in stream:
            chunks.append(chunk)
        return b"".join(chunks)

    def _check_content_type(self, url: str, kind: str, content_type: str, status: int) -> None:
        media_type = content_type.split(";", 1)[0].strip().lower()
        if not media_type:
            return
        if not any(accepted in media_type for accepted in _ACCEPTED_TYPES.get(kind, ("",))):
            raise UnexpectedContentType(url, f"content type {media_type!r} is not a {kind}", status=status)

    def _retry_after(self, value: str | None) -> float | None:
        """Return the wait a Retry-After header asks for, capped at max_retry_after; None when absent or bad."""
        if not value:
            return None
        value = value.strip()
        if value.isdigit():
            seconds = float(value)
        else:
            try:
                when = parsedate_to_datetime(value)
            except (TypeError, ValueError):
                return None
            if when.tzinfo is None:
                when = when.replace(tzinfo=UTC)
            seconds = (when - self._clock()).total_seconds()
        return max(0.0, min(seconds, self.settings.max_retry_after))

    def _robots_for(self, url: str) -> _Robots:
        parts = urlsplit(url)
        origin = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
        with self._robots_lock:
            cached = self._robots.get(origin)
        if cached is not None:
            return cached
        robots = self._read_robots(origin)
        with self._robots_lock:
            self._robots.setdefault(origin, robots)
            return self._robots[origin]

    def _read_robots(self, origin: str) -> _Robots:
        """Fetch and parse robots.txt, following RFC 9309: 4xx means no rules, 5xx or unreachable means disallow."""
        robots_url = f"{origin}/robots.txt"
        try:
            result = self.fetch(robots_url, kind="robots")
        except HTTPStatusError as exc:
            if exc.status is not None and 400 <= exc.status < 500 and exc.status != 429:
                return _Robots(None, allow_all=True)
            return _Robots(None, allow_all=False, error=str(exc))
        except FetchError as exc:
            return _Robots(None, allow_all=False, error=f"{type(exc).__name__}: {exc}")
        parser = urllib.robotparser.RobotFileParser(robots_url)
        parser.parse(result.content.decode("utf-8", errors="replace").splitlines())
        delay = parser.crawl_delay(self.settings.user_agent)
        if delay:
            host = (urlsplit(origin).hostname or "").lower()
            self._gate.set_delay(host, min(float(delay), self.settings.max_retry_after))
        return _Robots(parser, allow_all=False)


def _decompressor(coding: str, first: bytes) -> Any:
    """Return a zlib decompressor for `coding`; deflate is the zlib format, or raw deflate from servers that
    send that instead (told apart by the zlib header's check bits, as browsers do)."""
    if coding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    zlib_header = len(first) >= 2 and first[0] & 0x0F == 8 and (first[0] << 8 | first[1]) % 31 == 0
    return zlib.decompressobj(zlib.MAX_WBITS if zlib_header else -zlib.MAX_WBITS)


def _decode_layer(
    url: str, chunks: Iterator[bytes], coding: str, cap: int, too_large: ResponseTooLarge
) -> Iterator[bytes]:
    """Yield the decoding of one content-coding layer in pieces of at most _DECODE_PIECE bytes; raise `too_large`
    as soon as the layer's output passes `cap`, TransportError for a coding not supported or a corrupt stream."""
    if coding == "identity":
        yield from chunks
        return
    if coding not in ("gzip", "x-gzip", "deflate"):
        raise TransportError(url, f"DecodingError: unsupported Content-Encoding {coding!r}")
    decoder = None
    size = 0
    try:
        for chunk in chunks:
            data = chunk
            while data:
                if decoder is None or decoder.eof:
                    if decoder is not None and coding == "deflate":
                        break  # bytes after the end of a deflate stream: ignored, as zlib does
                    decoder = _decompressor(coding, data)  # gzip allows several members one after another
                piece = decoder.decompress(data, _DECODE_PIECE)
                size += len(piece)
                if size > cap:
                    raise too_large
                if piece:
                    yield piece
                data = decoder.unused_data if decoder.eof else decoder.unconsumed_tail
        if decoder is not None:
            piece = decoder.flush()
            size += len(piece)
            if size > cap:
                raise too_large
            if piece:
                yield piece
    except zlib.error as exc:
        raise TransportError(url, f"DecodingError: malformed {coding} body: {exc}") from exc
