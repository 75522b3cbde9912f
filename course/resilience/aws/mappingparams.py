"""The parameters of a Lambda event source mapping, checked as CreateEventSourceMapping
checks them.

A mapping takes every parameter CreateEventSourceMapping takes for its kind of source, with
the API reference's types and ranges; what Lambda refuses raises ``InvalidParameterValue``
(Lambda's InvalidParameterValueException), in words close to Lambda's: a value out of range
or of the wrong type (``True`` is no BatchSize, nor is ``10.0``), a parameter of other
sources only (``StartingPosition`` on a queue), a name CreateEventSourceMapping does not
have, and a function whose timeout exceeds its queue's visibility timeout
(``expect_timeout_within_visibility``). ``resilience.aws.facts`` holds the table of which
parameter applies to which source, and every number, each with its AWS page.
``resilience.eventsources`` runs the mappings.
"""

from __future__ import annotations

import datetime
import json
import unicodedata
from collections.abc import Callable, Mapping
from typing import NoReturn, TypeGuard

from botocore.utils import parse_to_aware_datetime

from resilience.aws.facts import (
    FILTER_NUMERIC_OPERATORS,
    FILTER_OPERATORS,
    FILTER_PATTERN_MAX_CHARS,
    FUNCTION_ARN_MAX_CHARS,
    FUNCTION_NAME_MAX_CHARS,
    KAFKA_ONLY_METRICS,
    KINESIS_MAPPING_DEFAULTS,
    KINESIS_SOURCE,
    KINESIS_STARTING_POSITIONS,
    MAPPING_MAX_BATCH_SIZE,
    MAPPING_MAX_BATCHING_WINDOW_S,
    MAPPING_MAX_FILTERS,
    MAPPING_MAX_RECORD_AGE_S,
    MAPPING_MAX_RETRY_ATTEMPTS,
    MAPPING_MAX_TUMBLING_WINDOW_S,
    MAPPING_METRICS,
    MAPPING_MIN_RECORD_AGE_S,
    MAPPING_ON_FAILURE_SERVICES,
    MAPPING_PARAMETER_SOURCES,
    MAX_PARALLELIZATION_FACTOR,
    REPORT_BATCH_ITEM_FAILURES,
    SQS_FIFO_MAX_BATCH_SIZE,
    SQS_MAPPING_CONCURRENCY_RANGE,
    SQS_MAPPING_DEFAULTS,
    SQS_MAX_BATCH_SIZE_WITHOUT_WINDOW,
    SQS_MAX_POLLERS_RANGE,
    SQS_MIN_POLLERS_RANGE,
    SQS_SOURCE,
    TAG_KEY_MAX_CHARS,
    TAG_VALUE_MAX_CHARS,
)

__all__ = ["InvalidParameterValue", "kinesis_config", "sqs_config", "on_failure_arn",
           "filter_patterns", "expect_source", "expect_timeout_within_visibility", "refuse",
           "arn_service", "is_number"]


class InvalidParameterValue(ValueError):
    """A mapping parameter AWS would refuse (its InvalidParameterValueException)."""


# -- configuration -------------------------------------------------------------------------

Check = Callable[[str, object], None]  # checks one parameter's value; raises if AWS would not


def refuse(message: str) -> NoReturn:
    """Refuse the mapping as Lambda does, with ``message``."""
    raise InvalidParameterValue(message)


def _integer(low: int, high: int, *, forever: bool = False) -> Check:
    """A check for an integer parameter from ``low`` to ``high``, or -1 (forever) too: not a
    bool, not a float, as boto3's own validation refuses them."""
    def check(name: str, value: object) -> None:
        if isinstance(value, int) and not isinstance(value, bool) and (
                low <= value <= high or (forever and value == -1)):
            return
        either = "either -1 (forever) or " if forever else ""
        refuse(f"{name} must be an integer, {either}between {low} and {high} (inclusive); "
                f"got {value!r}")
    return check


def _boolean(name: str, value: object) -> None:
    if not isinstance(value, bool):
        refuse(f"{name} must be true or false; got {value!r}")


def _one_of(allowed: tuple[str, ...]) -> Check:
    """A check for a parameter that takes one of a few names."""
    def check(name: str, value: object) -> None:
        if value not in allowed:
            refuse(f"{name} must be one of {', '.join(allowed)}; got {value!r}")
    return check


def _fields(name: str, value: object, allowed: tuple[str, ...]) -> dict:
    """``value`` as a structure of no other fields than ``allowed``."""
    if not isinstance(value, dict):
        refuse(f"{name} must be an object with the fields {', '.join(allowed)}; got {value!r}")
    unknown = sorted(set(value) - set(allowed))
    if unknown:
        refuse(f"{name} has no field {unknown[0]}; its fields are {', '.join(allowed)}")
    return value


def _response_types(name: str, value: object) -> None:
    if not (isinstance(value, list) and len(value) <= 1
            and all(each == REPORT_BATCH_ITEM_FAILURES for each in value)):
        refuse(f"{name} must be a list holding at most {REPORT_BATCH_ITEM_FAILURES!r}; "
                f"got {value!r}")


def _timestamp(name: str, value: object) -> None:
    """A time as boto3 takes one: a datetime, Unix seconds, or an ISO 8601 string."""
    if isinstance(value, (datetime.datetime, str)) or is_number(value):
        try:
            parse_to_aware_datetime(value)
            return
        except (ValueError, OverflowError, OSError, RuntimeError):  # botocore's, by value
            pass
    refuse(f"{name} must be a time (a datetime, Unix seconds or ISO 8601); got {value!r}")


def arn_service(value: object) -> str | None:
    """The service an ARN names (``arn:aws:sqs:...`` is ``sqs``), or None if not an ARN."""
    parts = value.split(":", 5) if isinstance(value, str) else []
    return parts[2] if len(parts) == 6 and parts[0] == "arn" and parts[2] else None


def _destination_config(name: str, value: object) -> None:
    """Only OnFailure, to an SQS queue, SNS topic or S3 bucket (or none: "")."""
    if isinstance(value, dict) and "OnSuccess" in value:
        refuse("DestinationConfig.OnSuccess is not supported in CreateEventSourceMapping; "
                "a mapping takes only an OnFailure destination")
    on_failure = _fields(name, value, ("OnFailure",)).get("OnFailure", {})
    destination = _fields(f"{name}.OnFailure", on_failure, ("Destination",)).get(
        "Destination", "")
    if destination != "" and arn_service(destination) not in MAPPING_ON_FAILURE_SERVICES:
        refuse(f"{name}.OnFailure.Destination must be the ARN of an SQS queue, an SNS topic or "
                f"an S3 bucket; got {destination!r}")


def _metrics_config(name: str, value: object) -> None:
    metrics = _fields(name, value, ("Metrics",)).get("Metrics", [])
    if not (isinstance(metrics, list) and all(each in MAPPING_METRICS for each in metrics)):
        refuse(f"{name}.Metrics must be a list of {', '.join(MAPPING_METRICS)}; "
                f"got {metrics!r}")
    kafka_only = sorted(set(metrics) & set(KAFKA_ONLY_METRICS))
    if kafka_only:
        refuse(f"{kafka_only[0]} is a metric of Amazon MSK and self-managed Apache Kafka "
                "event source mappings only")


def _kms_key_arn(name: str, value: object) -> None:
    if not (value == "" or arn_service(value) is not None):
        refuse(f"{name} must be the ARN of a KMS key; got {value!r}")


def _tag_text(text: object, low: int, high: int) -> bool:
    """Is ``text`` a tag key or value: letters, spaces, digits and ``_.:/=+-@`` only?"""
    return isinstance(text, str) and low <= len(text) <= high and all(
        unicodedata.category(c)[0] in "LZN" or c in "_.:/=+-@" for c in text)


def _tags(name: str, value: object) -> None:
    if not isinstance(value, dict) or not all(
            _tag_text(k, 1, TAG_KEY_MAX_CHARS) and _tag_text(v, 0, TAG_VALUE_MAX_CHARS)
            for k, v in value.items()):
        refuse(f"{name} must map keys of 1 to {TAG_KEY_MAX_CHARS} characters to values of 0 "
                f"to {TAG_VALUE_MAX_CHARS} (letters, digits, spaces and _.:/=+-@); "
                f"got {value!r}")


def _function_name(name: str, value: object) -> None:
    """A function name, or its ARN (with a version or alias, or not): only its form is
    checked, for the emulator invokes the function it is given."""
    if not (isinstance(value, str) and value and (
            len(value) <= FUNCTION_NAME_MAX_CHARS if ":" not in value
            else len(value) <= FUNCTION_ARN_MAX_CHARS)):
        refuse(f"{name} must be a function name (at most {FUNCTION_NAME_MAX_CHARS} "
                f"characters) or ARN (at most {FUNCTION_ARN_MAX_CHARS}); got {value!r}")


def _source_arn(service: str) -> Check:
    """A check for EventSourceArn: an ARN of the mapping's kind of source (whether it is this
    mapping's stream or queue, the mapping checks)."""
    def check(name: str, value: object) -> None:
        if arn_service(value) != service:
            refuse(f"{name} must be the ARN of the {service} resource the mapping reads; "
                    f"got {value!r}")
    return check


def _scaling_config(name: str, value: object) -> None:
    scaling = _fields(name, value, ("MaximumConcurrency",))
    if "MaximumConcurrency" in scaling:
        _integer(*SQS_MAPPING_CONCURRENCY_RANGE)(f"{name}.MaximumConcurrency",
                                                 scaling["MaximumConcurrency"])


def _provisioned_poller_config(name: str, value: object) -> None:
    if isinstance(value, dict) and "PollerGroupName" in value:
        refuse(f"{name}.PollerGroupName is not valid for SQS event sources (it groups Amazon "
                "MSK and self-managed Apache Kafka mappings)")
    pollers = _fields(name, value, ("MinimumPollers", "MaximumPollers"))
    for field_name, bounds in (("MinimumPollers", SQS_MIN_POLLERS_RANGE),
                               ("MaximumPollers", SQS_MAX_POLLERS_RANGE)):
        if field_name in pollers:
            _integer(*bounds)(f"{name}.{field_name}", pollers[field_name])
    if {"MinimumPollers", "MaximumPollers"} <= set(pollers) and (
            pollers["MinimumPollers"] > pollers["MaximumPollers"]):
        refuse(f"{name}.MinimumPollers must not exceed MaximumPollers; got {pollers!r}")


def _filter_criteria(data_key: str, *, json_data_only: bool) -> Check:
    """A check for FilterCriteria: ``{"Filters": [{"Pattern": "<a JSON filter rule>"}]}``,
    at most ``MAPPING_MAX_FILTERS`` of them. ``data_key`` names the record's data (``data``,
    ``body``); with ``json_data_only`` (Kinesis), a pattern for it must be an object of rules,
    not a plain string's."""
    def check(name: str, value: object) -> None:
        filters = _fields(name, value, ("Filters",)).get("Filters", [])
        if not isinstance(filters, list) or len(filters) > MAPPING_MAX_FILTERS:
            refuse(f"{name}.Filters must be a list of at most {MAPPING_MAX_FILTERS} filters "
                    f"(the default quota); got {filters!r:.200}")
        for number, each in enumerate(filters):
            pattern = _filter_pattern(f"{name}.Filters[{number}]", each)
            if json_data_only and data_key in pattern and not isinstance(pattern[data_key],
                                                                         dict):
                refuse(f"{name}.Filters[{number}]: the filter pattern for {data_key!r} must be "
                        f"in a valid JSON format, an object of rules; got {pattern[data_key]!r}")
    return check


def _filter_pattern(name: str, each: object) -> dict:
    """A filter's Pattern, parsed and checked: a JSON object of rules."""
    text = _fields(name, each, ("Pattern",)).get("Pattern")
    if not isinstance(text, str) or len(text) > FILTER_PATTERN_MAX_CHARS:
        refuse(f"{name}.Pattern must be a string of at most {FILTER_PATTERN_MAX_CHARS} "
                f"characters; got {text!r:.200}")
    try:
        pattern = json.loads(text)
    except json.JSONDecodeError:
        pattern = None
    if not isinstance(pattern, dict):
        refuse(f"Invalid filter pattern definition: {name}.Pattern must be a JSON object; "
                f"got {text!r:.200}")
    _check_rules(f"{name}.Pattern", pattern)
    return pattern


def _check_rules(name: str, pattern: dict) -> None:
    """Every field of a pattern holds an object of rules or a list of rules."""
    for key, rules in pattern.items():
        if isinstance(rules, dict):
            _check_rules(f"{name}.{key}", rules)
        elif not isinstance(rules, list):
            refuse(f"Invalid filter pattern definition: {name}.{key} must be a list of rules "
                    f"or an object; got {rules!r}")
        else:
            for rule in rules:
                _check_rule(f"{name}.{key}", rule)


def _check_rule(name: str, rule: object) -> None:
    """A rule: a value to match (null, a string, a number, a boolean) or one operator."""
    if rule is None or isinstance(rule, (str, int, float)):
        return
    if not (isinstance(rule, dict) and len(rule) == 1):
        refuse(f"Invalid filter pattern definition: {name} holds {rule!r}, neither a value "
                "nor one comparison operator")
    ((operator, operand),) = rule.items()
    if operator not in FILTER_OPERATORS:
        refuse(f"Invalid filter pattern definition: {name} uses {operator!r}, not one of "
                f"Lambda event filtering's operators ({', '.join(FILTER_OPERATORS)})")
    if not _operand_fits(operator, operand):
        refuse(f"Invalid filter pattern definition: {name} gives {operator!r} the operand "
                f"{operand!r}")


def _operand_fits(operator: str, operand: object) -> bool:
    """Is ``operand`` what ``operator`` takes?"""
    if operator == "exists":
        return isinstance(operand, bool)
    if operator == "numeric":
        return _numeric_condition(operand)
    if operator == "anything-but":
        values = operand if isinstance(operand, list) else [operand]
        return bool(values) and all(_is_value(v) and v is not None for v in values)
    return isinstance(operand, str)  # prefix, suffix, equals-ignore-case


def _numeric_condition(operand: object) -> bool:
    """``["<", 10]`` or ``[">", 0, "<=", 5]``: one or two comparisons with numbers."""
    return isinstance(operand, list) and len(operand) in (2, 4) and all(
        operand[i] in FILTER_NUMERIC_OPERATORS and is_number(operand[i + 1])
        for i in range(0, len(operand), 2))


def is_number(value: object) -> TypeGuard[float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_value(value: object) -> bool:
    return value is None or isinstance(value, (str, int, float))


_KINESIS_CHECKS: dict[str, Check] = {  # every parameter of a Kinesis mapping
    "BatchSize": _integer(1, MAPPING_MAX_BATCH_SIZE),
    "BisectBatchOnFunctionError": _boolean,
    "DestinationConfig": _destination_config,
    "Enabled": _boolean,
    "EventSourceArn": _source_arn("kinesis"),
    "FilterCriteria": _filter_criteria("data", json_data_only=True),
    "FunctionName": _function_name,
    "FunctionResponseTypes": _response_types,
    "KMSKeyArn": _kms_key_arn,
    "MaximumBatchingWindowInSeconds": _integer(0, MAPPING_MAX_BATCHING_WINDOW_S),
    "MaximumRecordAgeInSeconds": _integer(MAPPING_MIN_RECORD_AGE_S, MAPPING_MAX_RECORD_AGE_S,
                                          forever=True),
    "MaximumRetryAttempts": _integer(0, MAPPING_MAX_RETRY_ATTEMPTS, forever=True),
    "MetricsConfig": _metrics_config,
    "ParallelizationFactor": _integer(1, MAX_PARALLELIZATION_FACTOR),
    "StartingPosition": _one_of(KINESIS_STARTING_POSITIONS),
    "StartingPositionTimestamp": _timestamp,
    "Tags": _tags,
    "TumblingWindowInSeconds": _integer(0, MAPPING_MAX_TUMBLING_WINDOW_S),
}
_SQS_CHECKS: dict[str, Check] = {  # every parameter of an SQS mapping
    "BatchSize": _integer(1, MAPPING_MAX_BATCH_SIZE),
    "Enabled": _boolean,
    "EventSourceArn": _source_arn("sqs"),
    "FilterCriteria": _filter_criteria("body", json_data_only=False),
    "FunctionName": _function_name,
    "FunctionResponseTypes": _response_types,
    "KMSKeyArn": _kms_key_arn,
    "MaximumBatchingWindowInSeconds": _integer(0, MAPPING_MAX_BATCHING_WINDOW_S),
    "MetricsConfig": _metrics_config,
    "ProvisionedPollerConfig": _provisioned_poller_config,
    "ScalingConfig": _scaling_config,
    "Tags": _tags,
}


def _checked(config: Mapping | None, defaults: dict, checks: dict[str, Check],
             source: str) -> dict:
    """The parameters with AWS's defaults filled in, each checked; a parameter of another
    kind of source, or of none, is refused as Lambda refuses it."""
    if config is not None and not isinstance(config, Mapping):
        refuse(f"the mapping's parameters must be a dict of CreateEventSourceMapping's "
                f"parameters; got {config!r:.200}")
    config = dict(config or {})
    for name in sorted(set(config) - set(checks)):
        if name in MAPPING_PARAMETER_SOURCES:
            refuse(f"{name} is not valid for {source.removeprefix('Amazon ')} event sources "
                    f"(it applies to {', '.join(MAPPING_PARAMETER_SOURCES[name])} only)")
        refuse(f"{name} is not a parameter of CreateEventSourceMapping; a {source} mapping "
                f"takes {', '.join(sorted(checks))}")
    config = {**defaults, **config}
    for name, value in config.items():
        checks[name](name, value)
    return config


def kinesis_config(config: Mapping | None = None) -> dict:
    """A Kinesis mapping's parameters with AWS's defaults filled in, checked against what
    CreateEventSourceMapping accepts for a stream."""
    config = _checked(config, KINESIS_MAPPING_DEFAULTS, _KINESIS_CHECKS, KINESIS_SOURCE)
    at_timestamp = config["StartingPosition"] == "AT_TIMESTAMP"
    if at_timestamp != ("StartingPositionTimestamp" in config):
        refuse("StartingPositionTimestamp goes with StartingPosition AT_TIMESTAMP, and only "
                f"with it; got StartingPosition {config['StartingPosition']!r} and "
                f"StartingPositionTimestamp {config.get('StartingPositionTimestamp')!r}")
    return config


def sqs_config(config: Mapping | None = None, *, fifo: bool = False) -> dict:
    """An SQS mapping's parameters with AWS's defaults filled in, checked likewise (for a
    FIFO queue, with its narrower limits)."""
    config = _checked(config, SQS_MAPPING_DEFAULTS, _SQS_CHECKS, SQS_SOURCE)
    batch_size, window_s = config["BatchSize"], config["MaximumBatchingWindowInSeconds"]
    if fifo and batch_size > SQS_FIFO_MAX_BATCH_SIZE:
        refuse(f"BatchSize must be between 1 and {SQS_FIFO_MAX_BATCH_SIZE} (inclusive) for a "
                f"FIFO queue; got {batch_size}")
    if fifo and window_s:
        refuse("MaximumBatchingWindowInSeconds is not supported for FIFO queues; "
                f"got {window_s}")
    if batch_size > SQS_MAX_BATCH_SIZE_WITHOUT_WINDOW and window_s < 1:
        refuse("Maximum batch window in seconds must be greater than 0 if maximum batch size "
                f"is greater than {SQS_MAX_BATCH_SIZE_WITHOUT_WINDOW} (BatchSize {batch_size}, "
                f"MaximumBatchingWindowInSeconds {window_s})")
    return config


def on_failure_arn(config: Mapping) -> str | None:
    """The ARN of a checked Kinesis mapping's on-failure destination, if it has one."""
    destination = config["DestinationConfig"].get("OnFailure", {}).get("Destination", "")
    return destination or None


def expect_source(config: Mapping, source_arn: str) -> None:
    """A mapping's EventSourceArn, if given, names the stream or queue it reads."""
    given = config.get("EventSourceArn", source_arn)
    if given != source_arn and not given.startswith(f"{source_arn}/consumer/"):
        refuse(f"EventSourceArn is {given!r}, but this mapping reads {source_arn!r}")


def expect_timeout_within_visibility(visibility_timeout_s: float,
                                     function_timeout_s: float) -> None:
    """An SQS mapping's function may run no longer than its queue hides a message. Lambda
    checks this when a mapping is created or updated, and refuses the mapping otherwise with
    an InvalidParameterValueException in these words (Lambda Developer Guide, "Creating and
    configuring an Amazon SQS event source mapping"; the message as Lambda gives it)."""
    if function_timeout_s > visibility_timeout_s:
        refuse(f"Queue visibility timeout: {visibility_timeout_s:g} seconds is less than "
               f"Function timeout: {function_timeout_s:g} seconds")


def filter_patterns(config: Mapping) -> list[dict]:
    """The checked mapping's filter patterns, parsed ([] when it filters nothing out)."""
    filters = config.get("FilterCriteria", {}).get("Filters", [])
    return [json.loads(each["Pattern"]) for each in filters]
