"""save_order stores the total as a string attribute (S), not a number (N)."""

BELIEVED = "DynamoDB takes the total as a string, so its type is S."

VIOLATES = ["5.1"]

EDITS = {
    "save_order": [
        ("""    item = {"id": {"S": order["id"]}, "total": {"N": str(order["total"])}}""",
         """    item = {"id": {"S": order["id"]}, "total": {"S": str(order["total"])}}"""),
    ],
}

EXPECTED_FAILURES = {
    "test_save_order": "the total as a number (N",
}
