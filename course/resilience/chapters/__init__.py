"""One module per chapter: its scenarios, its figures and its explorers (widgets).

The index is ``resilience/__init__.py``."""
