"""The Kinesis handler decodes the data to text, so process gets a str instead of bytes."""

BELIEVED = "Decoded data means a string, ready to parse."

VIOLATES = ["3.1"]

EDITS = {
    "make_kinesis_handler": [
        ('process(base64.b64decode(record["kinesis"]["data"]))',
         'process(base64.b64decode(record["kinesis"]["data"]).decode("utf-8"))'),
    ],
}

EXPECTED_FAILURES = {
    "test_kinesis_handler_reports_first_failure": "not decoded any further",
}
