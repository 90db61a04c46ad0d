"""The test server finds ../shared whether it is a copy or a symbolic link (a resolved file against an unresolved
root answered 404 before)."""

from __future__ import annotations

import httpx

from . import httpserver

PAGE = "/pages/uk/TheGuardian_2024_02_24.html"


def test_pages_are_served_when_the_shared_folder_is_a_link(server, url, tmp_path, monkeypatch):
    link = tmp_path / "shared-link"
    link.symlink_to(httpserver.FUNDUS.resolve(), target_is_directory=True)
    monkeypatch.setattr(httpserver, "FUNDUS", link)
    with httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.1")) as client:
        answer = client.get(url(PAGE, host="127.0.0.1"))
        assert answer.status_code == 200 and b"<html" in answer.content[:2000].lower()
        # the check that keeps requests inside the fixtures still holds through the link
        outside = client.get(url("/pages/../../../../etc/passwd", host="127.0.0.1"))
        assert outside.status_code == 404
