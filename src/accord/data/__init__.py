"""Domain data shipped with accord (vocabularies, with their sources beside them)."""
