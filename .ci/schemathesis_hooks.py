"""Schemathesis checks for CI: an answer that says INTERNAL is a bug, whatever its status.

Bad input must get a clear error (VALIDATION, NOT_FOUND, a userError, ...); INTERNAL is kept
for failures of the server itself, and a fuzzer that reaches one has found a missing check.
"""

import schemathesis


@schemathesis.check
def no_internal_error(ctx, response, case):
    if response.status_code >= 500:
        raise AssertionError(f"HTTP {response.status_code}")
    try:
        body = response.json()
    except Exception:
        return None
    if not isinstance(body, dict):
        return None
    for error in body.get("errors") or []:
        extensions = (error or {}).get("extensions") or {}
        if extensions.get("code") == "INTERNAL":
            raise AssertionError(f"INTERNAL error: {error.get('message')}")
    return None
