"""Only a ConnectionError releases the claim: after a timeout, the retry waits out the lease."""

BELIEVED = "Only a ConnectionError means nothing was charged, so only then should the claim go."
VIOLATES = ["3.8"]

EDITS = {
    'charge_once': [
        ('''    except Exception:
        dynamodb.delete_item''', '''    except ConnectionError:
        dynamodb.delete_item'''),
    ],
}

EXPECTED_FAILURES = {
    'test_failed_charge_releases_its_claim': 'When the work fails, release the claim',
}
