"""Lambda's event filtering: does a record pass a mapping's ``FilterCriteria``?

EventBridge's pattern rules, with the operators Lambda's event filtering lists; a record's
data (a Kinesis record's ``data``, an SQS message's ``body``) is read as JSON when it is
JSON. ``resilience.aws.mappingparams`` checks the patterns; ``resilience.eventsources``
drops what no filter matches.
"""

from __future__ import annotations

import base64
import json
from operator import eq, ge, gt, le, lt

from resilience.aws.mappingparams import is_number

__all__ = ["passes_filters", "kinesis_filter_view", "sqs_filter_view", "PlainText"]


def passes_filters(patterns: list[dict], view: dict, data_key: str) -> bool:
    """Does a record pass the filters? It does if there are none, or if it matches one.

    ``view`` is what the patterns see: the record with its data (``data_key``) decoded from
    JSON when it is JSON. Data in JSON matches only an object of rules for it; plain data only
    a list of rules (Lambda drops the record on a mismatch).
    """
    data_is_json = not isinstance(view.get(data_key), PlainText)
    return not patterns or any(
        _matches(pattern, view) and not (data_is_json and isinstance(pattern.get(data_key),
                                                                     list))
        for pattern in patterns)


class PlainText(str):
    """A record's data that is not JSON, as a filter sees it."""


def _json_or_text(text: str) -> object:
    """``text`` decoded from JSON if it is JSON (any JSON value), else ``PlainText``."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return PlainText(text)


def kinesis_filter_view(record: dict) -> dict:
    """What a filter sees of a Kinesis event record: its ``kinesis`` fields, ``data``
    base64-decoded and read as JSON if it is JSON."""
    data = base64.b64decode(record["kinesis"]["data"]).decode("utf-8", errors="replace")
    return {**record["kinesis"], "data": _json_or_text(data)}


def sqs_filter_view(record: dict) -> dict:
    """What a filter sees of an SQS event record: its fields, ``body`` read as JSON if it is
    JSON."""
    return {**record, "body": _json_or_text(record["body"])}


def _matches(pattern: dict, event: object) -> bool:
    """Does ``event`` match every field of ``pattern`` (EventBridge's pattern rules)?"""
    for key, rules in pattern.items():
        present = isinstance(event, dict) and key in event
        value = event.get(key) if isinstance(event, dict) else None
        if isinstance(rules, dict):
            if not (present and isinstance(value, dict) and _matches(rules, value)):
                return False
        elif not any(_rule_matches(rule, present, value) for rule in rules):
            return False
    return True


def _rule_matches(rule: object, present: bool, value: object) -> bool:
    """Does a field (``present`` or not, holding ``value``) match one rule? A field holding
    a list matches if one of its items does."""
    if isinstance(rule, dict) and "exists" in rule:
        return rule["exists"] == (present and not isinstance(value, dict))
    if not present:
        return False
    items = value if isinstance(value, list) else [value]
    return any(_item_matches(rule, item) for item in items)


def _item_matches(rule: object, item: object) -> bool:
    """Does one value match one rule (a value to equal, or an operator)?"""
    if not isinstance(rule, dict):
        return _same(rule, item)
    ((operator, operand),) = rule.items()
    if operator == "anything-but":
        excluded = operand if isinstance(operand, list) else [operand]
        return not any(_same(each, item) for each in excluded)
    if operator == "numeric":
        return is_number(item) and all(
            _compare(item, operand[i], operand[i + 1]) for i in range(0, len(operand), 2))
    if not isinstance(item, str):
        return False
    if operator == "prefix":
        return item.startswith(operand)
    if operator == "suffix":
        return item.endswith(operand)
    return item.casefold() == operand.casefold()  # equals-ignore-case


def _same(rule: object, item: object) -> bool:
    """Equal as Lambda compares them: by their JSON text, so 300 is not 300.0, nor "300"."""
    return json.dumps(rule) == json.dumps(item)


_COMPARISONS = {"=": eq, "<": lt, "<=": le, ">": gt, ">=": ge}  # FILTER_NUMERIC_OPERATORS


def _compare(number: float, operator: str, bound: float) -> bool:
    return _COMPARISONS[operator](number, bound)
