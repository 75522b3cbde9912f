"""The Kinesis handler re-raises the failure after logging it, failing the whole batch."""

BELIEVED = "Lambda retries from the failed record whenever the handler raises."

VIOLATES = ["3.2"]

EDITS = {
    "make_kinesis_handler": [
        ('            except Exception:\n                return {"batchItemFailures": [\n                    {"itemIdentifier": record["kinesis"]["sequenceNumber"]}]}',
         '            except Exception:\n                print("failed at", record["kinesis"]["sequenceNumber"])\n                raise'),
    ],
}

EXPECTED_FAILURES = {
    "test_kinesis_handler_reports_first_failure": "your handler raised",
    "test_kinesis_end_to_end": "the mapping and the replay account for",
}
