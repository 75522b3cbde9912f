"""save_order writes the total as a whole number, str(int(total)), dropping its cents."""

BELIEVED = "DynamoDB numbers are integers."

VIOLATES = ["5.1"]

EDITS = {
    "save_order": [
        ("""    item = {"id": {"S": order["id"]}, "total": {"N": str(order["total"])}}""",
         """    item = {"id": {"S": order["id"]}, "total": {"N": str(int(order["total"]))}}"""),
    ],
}

EXPECTED_FAILURES = {
    "test_save_order": "the total as a number (N",
}
