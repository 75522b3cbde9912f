"""claim returns the record in the way as plain values, not as DynamoDB gives it."""

BELIEVED = "claim may hand back the record in plain Python values, as long as charge_once reads it that way."
VIOLATES = ["2.4"]

EDITS = {
    'claim': [
        ('        return error.response["Item"]',
         '        return {name: value.get("S", value.get("N"))\n'
         '                for name, value in error.response["Item"].items()}'),
    ],
    'charge_once': [
        ('''        if found["status"]["S"] == "COMPLETED":
            return json.loads(found["response"]["S"])''',
         '''        if found["status"] == "COMPLETED":
            return json.loads(found["response"])'''),
    ],
}

EXPECTED_FAILURES = {
    'test_claim_is_conditional': 'should return that record as DynamoDB gives it',
    'test_claim_returns_the_record_in_the_way': 'exactly as DynamoDB gives it',
}
