"""The consumer sends an order whose charge timed out to the failure queue, as if it were poison."""

BELIEVED = "Any order that failed belongs in the failure queue."
VIOLATES = ["3.5"]

EDITS = {
    'make_handler': [
        ("            except ValueError as error:\n",
         "            except (ValueError, ConnectionError, TimeoutError) as error:\n"),
        ("            except (ConnectionError, TimeoutError):\n"
         "                stopped_at = number\n"
         "                break\n", ""),
    ],
}

EXPECTED_FAILURES = {
    'test_handler_everywhere': 'should stop at the first record it cannot finish',
}
