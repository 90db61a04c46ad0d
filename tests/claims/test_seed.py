"""Golden test: the article that motivated the project (shared/data/seed)."""

from __future__ import annotations

from accord.claims import article_toll, main_perpetrator
from accord.models import article_document


def _seed(data):
    raw = (data / "seed" / "000_14ee107d61377790.txt").read_text(encoding="utf-8")
    title, _, body = raw.partition("\n\n")
    return title, body


def test_seed_toll_is_vague_range_not_a_background_number(data, extractor):
    title, body = _seed(data)
    claims = extractor.extract(title, body)
    toll = article_toll(claims, "killed")
    assert toll is not None
    assert toll.extra["vague"] is True
    assert toll.high is not None and toll.low < toll.high  # "scores" is a range
    assert toll.point is not None and toll.point < 100
    assert toll.point not in (380_000, 4_000_000, 1_000_000, 100_000)
    war = [c for c in claims if c.kind == "killed" and c.point == 380_000]
    assert war and war[0].scope == "total" and not war[0].chosen
    assert not [c for c in claims if c.kind in ("killed", "injured") and c.point in (4_000_000, 1_000_000, 100_000)]


def test_seed_perpetrator_is_russia_with_regime_forces_also_found(data, extractor):
    title, body = _seed(data)
    claims = extractor.extract(title, body)
    main = main_perpetrator(claims)
    assert main is not None and main.actor == "russia"
    assert "Russian" in (main.words or "")
    regime = [c for c in claims if c.kind == "perpetrator" and c.actor == "syrian-government"]
    assert any(c.words == "regime forces" for c in regime)


def test_seed_offsets_point_into_the_document(data, extractor):
    title, body = _seed(data)
    document = article_document(title, body)
    claims = extractor.extract(title, body)
    assert claims
    for claim in claims:
        assert document[claim.start : claim.end] == claim.sentence
    assert sum(c.chosen for c in claims if c.kind == "killed") == 1
    assert sum(c.chosen for c in claims if c.kind == "perpetrator") == 1
