"""CORS for the web app served from another origin. Auth is by header, never by cookie, so
allowing any origin does not expose anything a script could not already send."""

from __future__ import annotations

ALLOW_HEADERS = (
    "Authorization, Content-Type, Idempotency-Key, If-Match, X-API-Key, X-Correlation-Id"
)
EXPOSE_HEADERS = (
    "ETag, Retry-After, X-Correlation-Id, Idempotent-Replayed, Location, Content-Disposition, "
    "X-Export-Included, X-Export-Excluded"
)
ALLOW_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS"


def headers(origin: str | None, *, preflight: bool) -> dict[str, str]:
    if not origin:
        return {}
    out = {
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Expose-Headers": EXPOSE_HEADERS,
        "Vary": "Origin",
    }
    if preflight:
        out |= {
            "Access-Control-Allow-Methods": ALLOW_METHODS,
            "Access-Control-Allow-Headers": ALLOW_HEADERS,
            "Access-Control-Max-Age": "3600",
        }
    return out
