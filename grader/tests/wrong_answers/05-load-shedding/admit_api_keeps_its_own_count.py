"""admit_api counts the requests it let in itself, in a global that never goes down."""

BELIEVED = "A policy can keep its own count of each API's requests in the pool."
VIOLATES = ['5.4']

ANSWERS = {
    'admit_api': '''def admit_api(request, pool, limits, let_in={}):
    if request.api not in limits:
        return False
    held = max(let_in.get(request.api, 0), pool.held[request.api])
    if held < limits[request.api]:
        let_in[request.api] = let_in.get(request.api, 0) + 1
        return True
    return False
''',
}

EXPECTED_FAILURES = {
    'test_bulkheads_isolate': 'decisions of admit_api broke the rules',
}
