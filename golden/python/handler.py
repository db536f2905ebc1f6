"""Your handler, called once per invocation by fgruntime.py (generated).

fg-bootgen created this file once and never rewrites it (unless --force).
"""

import json

from fgruntime import Context

# The answer's envelope, in the shape API Gateway expects; "body" is the event as received.
RESPONSE_HEAD = (
    b'{"statusCode":200,"isBase64Encoded":false,'
    b'"headers":{"Content-Type":"application/json"},"body":'
)
RESPONSE_TAIL = b"}"


def _reject_constant(name: str) -> float:
    """Refuse NaN and Infinity, which Python's json module accepts and JSON does not."""
    msg = f"{name} is not valid JSON"
    raise ValueError(msg)


_JSON = json.JSONDecoder(parse_constant=_reject_constant)


def handler(event: bytes, _context: Context) -> bytes:
    """Answer a JSON event with the event wrapped in RESPONSE_HEAD and RESPONSE_TAIL.

    Any other event is an error. The context (rename the parameter when you use it)
    gives request_id, the request headers, the function's settings (context.function)
    and context.remaining_time_ms(). Return bytes or str. An exception is reported as
    Function.HandlerError; raise fgruntime.HandlerError(error_type, message) to choose
    the errorType.
    """
    try:
        _JSON.decode(event.decode())
    except ValueError as exc:
        msg = f"the event is not valid JSON: {exc}"
        raise ValueError(msg) from exc
    return b"".join((RESPONSE_HEAD, event, RESPONSE_TAIL))
