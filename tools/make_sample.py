#!/usr/bin/env python3
"""Build the bundled sample (data/sample/fakes-sample.jsonl) from FA-KES's CC BY 4.0 core columns.

Keeps only unit_id, article_title, article_content, source, date, location and labels, for events
(date, location) that at least three outlets covered. Usage: tools/make_sample.py FAKES.csv > out.jsonl
"""

import csv
import json
import sys
from collections import defaultdict
from datetime import datetime


def main(path: str) -> None:
    events: dict[str, list[dict[str, str]]] = defaultdict(list)
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            day = datetime.strptime(row["date"], "%m/%d/%y").date().isoformat()
            events[f"{day}|{row['location']}"].append(row)
    for index, (story, rows) in enumerate(sorted(events.items())):
        if len({r["source"] for r in rows}) < 3:
            continue
        for r in rows:
            record = {
                "id": f"fakes-{r['unit_id']}-{index}-{r['source']}",
                "outlet": r["source"],
                "title": r["article_title"],
                "text": r["article_content"],
                "published": story.split("|")[0],
                "gold": {"story": story, "label": int(r["labels"] if "labels" in r else r["label"])},
            }
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
