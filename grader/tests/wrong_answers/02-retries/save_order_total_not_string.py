"""save_order sends the total as a Python number, but DynamoDB's "N" type is a string."""

BELIEVED = "A DynamoDB number attribute takes a Python number."

VIOLATES = ["5.1"]

EDITS = {
    "save_order": [
        ("""    item = {"id": {"S": order["id"]}, "total": {"N": str(order["total"])}}""",
         """    item = {"id": {"S": order["id"]}, "total": {"N": order["total"]}}"""),
    ],
}

EXPECTED_FAILURES = {
    "test_save_order": "Invalid type for parameter Item.total.N",
}
