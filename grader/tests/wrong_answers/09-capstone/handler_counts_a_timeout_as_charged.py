"""The consumer stores an order whose charge timed out, taking the charge as made."""

BELIEVED = "A timed-out charge almost always went through, so the order can be stored."
VIOLATES = ["3.5"]

EDITS = {
    'make_handler': [
        ("            except (ConnectionError, TimeoutError):\n"
         "                stopped_at = number\n"
         "                break\n",
         "            except TimeoutError:\n                charged.append((number, order))\n"
         "            except ConnectionError:\n                stopped_at = number\n"
         "                break\n"),
    ],
}

EXPECTED_FAILURES = {
    'test_handler_everywhere': 'should stop at the first record it cannot finish',
}
