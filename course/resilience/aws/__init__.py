"""AWS itself and what moto lacks of it: documented facts, moto in simulated time, shards.

The index of modules is ``resilience/__init__.py``."""
