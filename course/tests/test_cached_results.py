"""What a cached simulation returns cannot be changed.

A function behind ``functools.lru_cache`` hands the same object to every cell and widget that
asks again: one that appended to it would corrupt every later redraw. So every cached
function of ``resilience.models`` and ``resilience.chapters``, found by introspection, returns
frozen dataclasses, tuples, frozensets, read-only mappings and plain values, all the way down.
A new cached function fails here until it is given cheap arguments below.
"""

import dataclasses
import importlib
import pkgutil
from types import MappingProxyType

import matplotlib
import pytest

matplotlib.use("Agg")

import resilience.chapters  # noqa: E402
import resilience.models  # noqa: E402
from resilience.models import backlogs, bulkheads, healthchecks, isolation  # noqa: E402

# module.function -> cheap arguments for it (short runs, small bursts, few orders)
CHEAP_CALLS = {
    "resilience.chapters.ch01_timeouts._producer_run": ((0.6, 0), {}),
    "resilience.chapters.ch02_retries._average": (("full", 10, 5.0, 2000.0), {}),
    "resilience.chapters.ch03_partial_failures._bursts": ((1_000, 1, 2), {}),
    "resilience.chapters.ch04_poison_pills.shard_story": ((), {"hours": 1}),
    "resilience.chapters.ch04_poison_pills.queue_story": (
        (), {"messages": 10, "poison_every": 5, "minutes": 3}),
    "resilience.chapters.ch05_load_shedding.goodput_curve": (("lifo", 1.0, 0), {}),
    "resilience.chapters.ch05_load_shedding.spike_story": (
        ("deadline",), {"retries": 1, "length_s": 1}),
    "resilience.chapters.ch07_shuffle_sharding._simulated_overlap": ((8, 2), {}),
    "resilience.chapters.ch08_idempotency.duplicate_story": (("none",), {"orders": 20}),
    "resilience.chapters.ch09_capstone.console_story": (("seed=0", "careful"), {}),
    "resilience.chapters.ch09_capstone.budget_run": ((0.5,), {}),
    "resilience.models.backlogs.simulate_backlog": (
        (backlogs.SPILL, backlogs.OUTAGE), {"length_s": 10.0, "duration_s": 60.0}),
    "resilience.models.bulkheads.bulkhead_run": ((bulkheads.BULKHEADS,), {"duration_s": 5.0}),
    "resilience.models.healthchecks.simulate_health": ((healthchecks.SHALLOW,),
                                                       {"duration_s": 30.0}),
    "resilience.models.isolation.simulate_isolation": ((isolation.SHUFFLE,), {}),
}
PLAIN = (bool, int, float, complex, str, bytes, type(None))  # values nothing can change


def _cached_functions() -> dict[str, object]:
    """Every function with ``cache_info`` defined in a module of ``resilience.models`` or
    ``resilience.chapters``, by its qualified name."""
    found = {}
    for package in (resilience.models, resilience.chapters):
        for module_info in pkgutil.iter_modules(package.__path__, f"{package.__name__}."):
            module = importlib.import_module(module_info.name)
            for name, value in vars(module).items():
                if hasattr(value, "cache_info") and value.__module__ == module.__name__:
                    found[f"{module.__name__}.{name}"] = value
    return found


def _mutable_parts(value, path: str):
    """Where, under ``value``, something could be changed: a list, dict or set, a dataclass
    that is not frozen, or any object not known to be immutable. Yields their paths."""
    if isinstance(value, PLAIN):
        return
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if not type(value).__dataclass_params__.frozen:
            yield f"{path} (a {type(value).__name__} that is not frozen)"
        for field in dataclasses.fields(value):
            yield from _mutable_parts(getattr(value, field.name), f"{path}.{field.name}")
    elif isinstance(value, tuple | frozenset):  # named tuples too
        for index, item in enumerate(value):
            yield from _mutable_parts(item, f"{path}[{index}]")
    elif isinstance(value, MappingProxyType):
        for key, item in value.items():
            yield from _mutable_parts(key, f"{path} key {key!r}")
            yield from _mutable_parts(item, f"{path}[{key!r}]")
    else:
        yield f"{path} (a {type(value).__name__})"


def _dataclasses_in(value):
    """Every dataclass instance reachable from ``value`` (in the containers allowed above)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        yield value
        for field in dataclasses.fields(value):
            yield from _dataclasses_in(getattr(value, field.name))
    elif isinstance(value, tuple | frozenset):
        for item in value:
            yield from _dataclasses_in(item)
    elif isinstance(value, MappingProxyType):
        for item in value.values():
            yield from _dataclasses_in(item)


def test_every_cached_function_has_cheap_arguments_here():
    assert set(_cached_functions()) == set(CHEAP_CALLS), (
        "add each new cached function to CHEAP_CALLS (and remove the ones gone)")


@pytest.mark.parametrize("name", sorted(CHEAP_CALLS))
def test_a_cached_result_cannot_be_changed(name):
    args, kwargs = CHEAP_CALLS[name]
    result = _cached_functions()[name](*args, **kwargs)
    assert list(_mutable_parts(result, "result")) == []
    for instance in _dataclasses_in(result):
        for field in dataclasses.fields(instance):
            with pytest.raises(dataclasses.FrozenInstanceError):
                setattr(instance, field.name, getattr(instance, field.name))


def test_the_check_finds_what_could_be_changed():
    @dataclasses.dataclass(frozen=True)
    class Frozen:
        series: tuple
        by_key: MappingProxyType

    @dataclasses.dataclass
    class Thawed:
        count: int

    sneaky = Frozen((1, [2]), MappingProxyType({"a": {3}, "b": Thawed(1)}))
    assert list(_mutable_parts(sneaky, "r")) == [
        "r.series[1] (a list)", "r.by_key['a'] (a set)",
        "r.by_key['b'] (a Thawed that is not frozen)"]
    assert list(_mutable_parts(Frozen((1, 2.0, "x", None), MappingProxyType({})), "r")) == []
