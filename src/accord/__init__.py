"""accord: how far news outlets agree about a violent incident."""

__version__ = "0.1.0"
