"""Your handler, called once per invocation by the runtime in fgruntime/ (generated).

fg-bootgen created this file once and never rewrites it (unless --force).
"""

from __future__ import annotations

import fgruntime
from fgruntime import apig, decode

TYPE_CHECKING = False
if TYPE_CHECKING:
    from fgruntime import Context
    from fgruntime.events import ApigRequest, ApigResponse

NOT_JSON = "the event is not valid JSON"
BAD_BASE64 = "the APIG request body is not valid base64"


@fgruntime.raw
def handler(event: bytes, _context: Context) -> str:
    """Answer API Gateway: an APIG request with what it asked, any other JSON with itself.

    Without @fgruntime.raw, handler gets the parsed JSON event and returns any
    JSON-serialisable value. The context (rename the parameter when you use it) gives
    request_id, the request headers, the function's settings (context.function),
    context.remaining_time_ms() and context.logger; it also answers the getters of
    FunctionGraph's built-in runtime (getRequestID(), getLogger(), ...). An exception is
    reported as Function.HandlerError; raise fgruntime.HandlerError(error_type, message)
    to choose the errorType.
    """
    try:
        text = event.decode()
        value = decode.json_value(text)  # json.loads, but NaN and Infinity are refused
    except ValueError:
        raise fgruntime.HandlerError(fgruntime.ERROR_TYPE_HANDLER, NOT_JSON) from None
    if _is_apig_request(value):
        response = _answer(value)
    else:
        response = apig.response(text, headers={"Content-Type": apig.CONTENT_TYPE_JSON})
    return apig.dumps(response)


def _is_apig_request(value: object) -> bool:
    """Whether value is an APIG request: a JSON object whose httpMethod is a string."""
    return isinstance(value, dict) and isinstance(value.get("httpMethod"), str)


def _answer(request: ApigRequest) -> ApigResponse:
    """Answer with the request's method, path, query parameters and body (as text)."""
    try:
        body = decode.apig_request_body(request)
    except ValueError:
        raise fgruntime.HandlerError(fgruntime.ERROR_TYPE_HANDLER, BAD_BASE64) from None
    return apig.json_response(
        {
            "method": request["httpMethod"],
            "path": request.get("path", ""),
            "query": request.get("queryStringParameters") or {},
            "body": body.decode(errors="replace"),
        }
    )
