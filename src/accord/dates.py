"""Parsing the dates feeds, pages and snapshots give: ISO 8601 dates and date-times, RFC 822 dates."""

from __future__ import annotations

from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from typing import Any

# A month's name or its abbreviation, and nothing longer ("25 martyrs" is no date): the one pattern of the date words
# that clustering (accord.incident) and the casualty rules (accord.claims.casualties) read
MONTH_NAME = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t|tember)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)


def parse_datetime(value: Any) -> datetime | None:
    """Return a timezone-aware datetime (UTC when the value names no zone), or None when it cannot be read."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime(value.year, value.month, value.day)
    elif isinstance(value, str) and value.strip():
        text = value.strip()
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            try:
                parsed = parsedate_to_datetime(text)
            except (TypeError, ValueError, IndexError):
                return None
    else:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed
