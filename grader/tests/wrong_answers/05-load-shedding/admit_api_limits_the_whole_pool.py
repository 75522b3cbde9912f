"""admit_api admits while the pool holds fewer requests than it has workers: one limit for the pool."""

BELIEVED = 'A concurrency limit for the whole pool protects every API at once.'
VIOLATES = ['5.4', '5.6']

EDITS = {
    'admit_api': [
        ('pool.held[request.api] < limits[request.api]', 'sum(pool.held.values()) < pool.workers'),
    ],
}

EXPECTED_FAILURES = {
    'test_admit_api': 'admit_api should return',
    'test_bulkheads_isolate': 'Checkout then answered only',
}
