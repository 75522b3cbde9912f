"""call_with_retries never asks is_retryable: it retries every exception, bugs included."""

BELIEVED = "Retrying never hurts: any error might go away on the next try."

VIOLATES = ["3.5"]

EDITS = {
    "call_with_retries": [
        ("""        except Exception as error:
            if attempt == max_attempts - 1 or not is_retryable(error):""",
         """        except Exception:
            if attempt == max_attempts - 1:"""),
        ("""    raise ValueError("max_attempts must be at least 1")
""",
         """"""),
    ],
}

EXPECTED_FAILURES = {
    "test_non_retryable": "can never succeed on retry: raise it at once",
}
