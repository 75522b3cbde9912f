"""Pure simulation models (simpy and maths): no moto, no widgets, no progress bars, so
chapters, labs and tests can run them anywhere. The index is ``resilience/__init__.py``."""
