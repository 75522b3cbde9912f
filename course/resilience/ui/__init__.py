"""What every chapter's presentation shares: the figure style, the explorer machinery and
progress bars. The index is ``resilience/__init__.py``."""
