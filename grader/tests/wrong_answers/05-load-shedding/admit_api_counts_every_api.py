"""admit_api compares what all the APIs hold with the request's API's limit."""

BELIEVED = 'A limit caps the load on the pool, so everything in the pool counts against it.'
VIOLATES = ['5.4']

EDITS = {
    'admit_api': [
        ('pool.held[request.api] < limits[request.api]', 'sum(pool.held.values()) < limits[request.api]'),
    ],
}

EXPECTED_FAILURES = {
    'test_admit_api': 'admit_api should return True',
}
