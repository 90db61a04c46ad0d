"""Run-level errors. Per-item failures (a bad feed, a page that will not parse) are data, not exceptions.

AccordError
├── ConfigError      the configuration file is missing, malformed, or has a bad key or value
├── StoreError       the database cannot be opened or is locked by another writer
└── CorpusError      a labelled-corpus file is malformed (file and line named)
"""


class AccordError(Exception):
    """Base of every error accord raises on purpose."""


class ConfigError(AccordError):
    """The configuration is missing, malformed, or names a bad key or value."""


class StoreError(AccordError):
    """The database cannot be opened, migrated or locked."""


class CorpusError(AccordError):
    """A labelled corpus file is malformed."""
