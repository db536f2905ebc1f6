"""The conformance suite's test handler (replaces the scaffold's handler.py in a copy of the build).

The event chooses what it does: {"op":"throw"}, {"op":"typed"}, {"op":"panic"}, {"op":"exit"},
{"op":"sleep","ms":N}, {"op":"context"}, {"op":"log"}; anything else is echoed as is.
"""

from __future__ import annotations

import logging
import os
import sys
import time

import fgruntime


def _field(event: bytes, name: str) -> str:
    """Find "name": in the event and return its string or bare value (no JSON parser)."""
    text = event.decode("utf-8", "replace")
    key = f'"{name}":'
    i = text.find(key)
    if i < 0:
        return ""
    rest = text[i + len(key) :].lstrip(" ")
    if rest.startswith('"'):
        j = rest.find('"', 1)
        return rest[1:j] if j > 0 else ""
    for stop in (",", "}"):
        j = rest.find(stop)
        if j >= 0:
            rest = rest[:j]
    return rest.strip()


def handler(event: bytes, context: fgruntime.Context) -> bytes | str:
    op = _field(event, "op")
    if op == "throw":
        raise RuntimeError("thrown by the test handler")
    if op == "typed":
        raise fgruntime.HandlerError("Test.CustomError", "typed by the test handler")
    if op == "panic":
        # A BaseException that is not an Exception: the runtime's "panic".
        raise SystemExit("panicked in the test handler")
    if op == "exit":
        sys.stdout.flush()
        os._exit(3)
    if op == "sleep":
        time.sleep(int(_field(event, "ms")) / 1000)
        return b"slept"
    if op == "context":
        f = context.function
        pairs = [
            ("requestId", context.request_id),
            ("accessKey", context.access_key),
            ("authToken", context.auth_token),
            ("invokeType", context.invoke_type),
            ("secretKey", context.secret_key),
            ("securityToken", context.security_token),
            ("projectId", f.project_id),
            ("functionName", f.function_name),
            ("functionVersion", f.function_version),
            ("package", f.package),
            ("handler", f.handler),
            ("timeoutSeconds", f.timeout_seconds),
            ("userData", f.user_data),
            ("cpu", f.cpu),
            ("memoryMb", f.memory_mb),
            ("codeRoot", f.code_root),
            ("remainingMs", context.remaining_time_ms()),
        ]
        return "".join(f"{k}\t{v}\n" for k, v in pairs)
    if op == "log":
        # The language's ordinary ways of printing the context: secrets must not show.
        print(f"context: {context!r}")
        print(f"context: {context}", file=sys.stderr)
        logging.getLogger("fgruntime").warning("context: %r", context)
        return b"logged"
    return event
