"""Canonical URLs."""

from __future__ import annotations

import pytest

from accord.sources import canonical_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://WWW.Example.COM/a/b?utm_source=rss&utm_medium=feed#top", "https://www.example.com/a/b"),
        ("http://example.com:80", "http://example.com/"),
        ("https://example.com:443/x", "https://example.com/x"),
        ("https://example.com:8443/x", "https://example.com:8443/x"),
        ("https://example.com/x?b=2&a=1&fbclid=abc&gclid=1", "https://example.com/x?a=1&b=2"),
        (
            "https://www.derstandard.at/story/3000000218734/nach?ref=rss",
            "https://www.derstandard.at/story/3000000218734/nach",
        ),
        ("https://medium.com/@h/post-417d?source=rss-b1f3------2", "https://medium.com/@h/post-417d"),
        (
            "http://www.kc0011.net/dispbbs.asp?BoardID=10&ID=25164257&Page=1",
            "http://www.kc0011.net/dispbbs.asp?BoardID=10&ID=25164257&Page=1",
        ),
        ("  https://example.com//a//b  ", "https://example.com/a/b"),
        ("https://example.com./a", "https://example.com/a"),
    ],
)
def test_canonical_url(url, expected):
    assert canonical_url(url) == expected


def test_two_links_to_one_report_have_one_canonical_form():
    assert canonical_url("https://News.example/story?id=7&utm_campaign=x#comments") == canonical_url(
        "https://news.example/story?utm_source=twitter&id=7"
    )


def test_content_selecting_parameters_are_kept():
    assert canonical_url("https://example.com/a?id=1") != canonical_url("https://example.com/a?id=2")


def test_url_without_host_is_an_error():
    with pytest.raises(ValueError, match="no host"):
        canonical_url("http:///path")
