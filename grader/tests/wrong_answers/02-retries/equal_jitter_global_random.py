"""equal_jitter draws its random half from the random module, not from the rng it is given."""

BELIEVED = "Only full jitter needs the rng it is given; random.uniform works as well here."

VIOLATES = ["1.5"]

EDITS = {
    "backoff": [
        ("""    return ceiling / 2 + rng.uniform(0, ceiling / 2)""",
         """    return ceiling / 2 + random.uniform(0, ceiling / 2)"""),
    ],
}

EXPECTED_FAILURES = {
    "test_equal_jitter": "never from the random module itself",
}
