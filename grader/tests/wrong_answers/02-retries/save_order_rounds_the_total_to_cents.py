"""save_order writes the total with two decimals, "%.2f" % total: 12.345 is stored as 12.35,
and 0.004 as 0.00."""

BELIEVED = "A total is money, so two decimals always write it exactly."

VIOLATES = ["5.1"]

EDITS = {
    "save_order": [
        ("""    item = {"id": {"S": order["id"]}, "total": {"N": str(order["total"])}}""",
         """    item = {"id": {"S": order["id"]}, "total": {"N": "%.2f" % order["total"]}}"""),
    ],
}

EXPECTED_FAILURES = {
    "test_save_order": "not a rounded or truncated form of it",
}
