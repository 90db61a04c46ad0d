"""Claim extraction: casualty counts and attribution read from article text, each with its evidence.

Modules: numbers (counts as intervals), sentences (splitting, scope, cited sources), casualties (casualty claims),
attribution (actors tied to the violence), actors (the configured actor list), extractor (the article's claims and the
chosen toll and perpetrator).
"""

from accord.claims.actors import load_default_actors, parse_actors
from accord.claims.extractor import ClaimExtractor, article_toll, main_perpetrator

__all__ = ["ClaimExtractor", "article_toll", "load_default_actors", "main_perpetrator", "parse_actors"]
