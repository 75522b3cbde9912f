"""The consumer skips a record whose charge failed for a passing reason, and reports nothing."""

BELIEVED = "A failed charge is logged and skipped; the batch must not be held up by one order."
VIOLATES = ["3.5"]

EDITS = {
    'make_handler': [
        ("            except (ConnectionError, TimeoutError):\n"
         "                stopped_at = number\n"
         "                break\n",
         "            except (ConnectionError, TimeoutError):\n                continue\n"),
    ],
}

EXPECTED_FAILURES = {
    'test_handler_everywhere': 'should stop at the first record it cannot finish',
    'test_nothing_lost': 'it reached the stream but was never stored nor set aside',
}
