"""The alarms as a table of rules, one predicate per alarm, evaluated in ALARMS' order."""

ANSWERS = {
    'alarms': '''RULES = {
    "freshness": lambda p: p.iterator_age_s > FRESHNESS_OBJECTIVE_S,
    "failures": lambda p: p.failure_queue_depth >= 1,
    "availability": lambda p: p.offered != 0 and p.acked < AVAILABILITY_OBJECTIVE * p.offered,
}


def alarms(period):
    """The alarms this period's metrics raise: symptoms, not causes."""
    return [name for name in ALARMS if RULES[name](period)]
''',
}
