"""call_with_retries pays in for the request at the end, once it has stopped: the token a
request earns never pays for that request's own retry."""

BELIEVED = "A request has earned its token once it is over, whatever the result."

VIOLATES = ["3.6"]

EDITS = {
    "call_with_retries": [
        ("""    if budget is not None:
        budget.deposit()
    for attempt in range(max_attempts):""",
         """    try:
        return _call_with_retries(operation, max_attempts, base, cap, sleep, rng, budget)
    finally:
        if budget is not None:
            budget.deposit()


def _call_with_retries(operation, max_attempts, base, cap, sleep, rng, budget):
    for attempt in range(max_attempts):"""),
    ],
}

EXPECTED_FAILURES = {
    "test_wrapper_respects_budget": "before it paid in for the request",
}
