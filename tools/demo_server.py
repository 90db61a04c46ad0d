#!/usr/bin/env python3
"""Serve the demo's saved pages and feeds (data/demo/) on a local HTTP server, as a news site would.

`make run` runs the pipeline while this serves, so accord collects the demo outlets the way it collects real ones
(feed, then page, over HTTP, robots.txt and all) and the report links each account to its page:

    tools/demo_server.py [--port 8765] [-- COMMAND ...]   serve while COMMAND runs, exit with its status
    tools/demo_server.py [--port 8765]                    serve until interrupted (to follow the report's links)

Pages are stored gzipped and sent as they are with `Content-Encoding: gzip` (decompressed for a client that does
not accept gzip). Feeds name the default address, http://127.0.0.1:8765; on another port the links are rewritten.
"""

from __future__ import annotations

import argparse
import gzip
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "data" / "demo"
DEFAULT_BASE = "http://127.0.0.1:8765"


class DemoHandler(BaseHTTPRequestHandler):
    root: Path = ROOT
    base: str = DEFAULT_BASE

    def log_message(self, format: str, *args: object) -> None:  # quiet: the pipeline's own log says what it fetched
        pass

    def _send(self, status: int, body: bytes, content_type: str, *, encoding: str | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self) -> None:  # noqa: N802 (http.server's naming)
        self.do_GET()

    def do_GET(self) -> None:  # noqa: N802
        path = self.path.split("?", 1)[0]
        if path == "/robots.txt":
            return self._send(200, b"User-agent: *\nAllow: /\n", "text/plain; charset=utf-8")
        if path == "/":
            return self._send(200, self._index().encode(), "text/html; charset=utf-8")
        folder, _, name = path.strip("/").partition("/")
        if folder == "feeds" and name in {p.name for p in (self.root / "feeds").glob("*.xml")}:
            text = (self.root / "feeds" / name).read_text(encoding="utf-8").replace(DEFAULT_BASE, self.base)
            return self._send(200, text.encode(), "application/rss+xml; charset=utf-8")
        if folder == "pages" and f"{name}.gz" in {p.name for p in (self.root / "pages").glob("*.html.gz")}:
            body = (self.root / "pages" / f"{name}.gz").read_bytes()
            if "gzip" in self.headers.get("Accept-Encoding", ""):
                return self._send(200, body, "text/html", encoding="gzip")
            return self._send(200, gzip.decompress(body), "text/html")
        return self._send(404, b"not found\n", "text/plain; charset=utf-8")

    def _index(self) -> str:
        pages = sorted(p.name.removesuffix(".gz") for p in (self.root / "pages").glob("*.html.gz"))
        feeds = sorted(p.name for p in (self.root / "feeds").glob("*.xml"))
        items = "".join(f'<li><a href="/pages/{p}">{p}</a></li>' for p in pages)
        items += "".join(f'<li><a href="/feeds/{f}">{f}</a></li>' for f in feeds)
        return (
            f"<!DOCTYPE html><title>accord demo pages</title><h1>accord demo pages</h1><ul>{items}</ul>"
            "<p>Saved pages from the fundus parser fixtures (MIT); see data/demo/ATTRIBUTION.md.</p>"
        )


def start(host: str = "127.0.0.1", port: int = 8765, root: Path = ROOT) -> ThreadingHTTPServer:
    """Start serving `root` on host:port in a daemon thread; return the server (call shutdown() to stop)."""
    try:
        server = ThreadingHTTPServer((host, port), DemoHandler)
    except OSError as error:
        raise SystemExit(
            f"demo server: cannot listen on {host}:{port}: {error.strerror} (is another demo running?)"
        ) from None
    bound = server.server_address[1]
    handler = type("BoundDemoHandler", (DemoHandler,), {"root": root, "base": f"http://{host}:{bound}"})
    server.RequestHandlerClass = handler
    threading.Thread(target=server.serve_forever, daemon=True, name="demo-server").start()
    return server


def main(argv: list[str]) -> int:
    command: list[str] = []
    if "--" in argv:
        command = argv[argv.index("--") + 1 :]
        argv = argv[: argv.index("--")]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)
    server = start(args.host, args.port)
    print(f"demo pages served at http://{args.host}:{server.server_address[1]}/", flush=True)
    try:
        if command:
            return subprocess.call(command)
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
