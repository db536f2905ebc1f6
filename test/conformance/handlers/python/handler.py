"""The conformance suite's test handler (replaces the scaffold's handler.py in a copy of the build).

Raw by default: the event chooses what it does: {"op":"throw"}, {"op":"typed"}, {"op":"panic"},
{"op":"exit"}, {"op":"sleep","ms":N}, {"op":"context"}, {"op":"log"}, {"op":"deep"},
{"op":"logbig","bytes":N}; anything else is echoed as is. With FG_TEST_MODE=json it is a JSON
handler with the ops of docs/events-contract.md: echo, unserialisable, apig-json, apig-text,
apig-binary, apig-decode, context, logger (and the shared ones). A shutdown hook writes
"test handler: shutdown hook ran" to stderr (docs/runtime-contract.md).
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time

import fgruntime
from fgruntime import apig, decode


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


@fgruntime.on_shutdown
def _shutdown() -> None:
    sys.stderr.write("test handler: shutdown hook ran\n")
    sys.stderr.flush()


def _deep(depth: int) -> None:
    """Recurse depth calls deep, then raise: a stack trace longer than the runtime keeps."""
    if depth <= 1:
        raise RuntimeError("deep failure in the test handler")
    _deep(depth - 1)


def _camel(snake: str) -> str:
    """The spec's field name of a snake_case context field: memory_mb -> memoryMb."""
    head, *rest = snake.split("_")
    return head + "".join(w[:1].upper() + w[1:] for w in rest)


def _context_lines(context: fgruntime.Context) -> str:
    """Every header and setting of the context as "<spec field>\t<value>" lines."""
    pairs = [
        (_camel(name), getattr(context, name))
        for name in context.__slots__
        if name not in ("function", "deadline")
    ]
    pairs += [
        (_camel(name), getattr(context.function, name))
        for name in context.function.__slots__
    ]
    pairs.append(("remainingMs", context.remaining_time_ms()))
    return "".join(f"{k}\t{v}\n" for k, v in pairs)


def _common(
    op: str, ms: str, context: fgruntime.Context, size: str = "0"
) -> str | None:
    """The ops both modes share; None for any other op."""
    if op == "deep":
        _deep(100)
    if op == "logbig":
        context.logger.info("ü€😀x" * (int(size) // 10))
        return "logged"
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
        time.sleep(int(ms) / 1000)
        return "slept"
    return None


@fgruntime.raw
def _raw_handler(event: bytes, context: fgruntime.Context) -> bytes | str:
    op = _field(event, "op")
    done = _common(op, _field(event, "ms"), context, _field(event, "bytes"))
    if done is not None:
        return done
    if op == "context":
        return _context_lines(context)
    if op == "log":
        # The language's ordinary ways of printing the context: secrets must not show.
        print(f"context: {context!r}")
        print(f"context: {context}", file=sys.stderr)
        logging.getLogger("fgruntime").warning("context: %r", context)
        context.getLogger().info("context: %r", context)
        return b"logged"
    return event


#: The context's get... methods that are not the built-in runtimes' getters of a header or setting.
_NOT_GETTERS = {"getRemainingTimeInMilliSeconds", "getUserData", "getLogger"}


def _json_handler(event: object, context: fgruntime.Context) -> object:
    if not isinstance(event, dict) or not isinstance(event.get("op"), str):
        return event
    op = event["op"]
    done = _common(op, str(event.get("ms", 0)), context, str(event.get("bytes", 0)))
    if done is not None:
        return done
    if op == "echo":
        value = event.get("value")
        # A JSON handler's str result is sent as it is (docs/events-contract.md): a str value is
        # echoed as its JSON text, so that every echo answers JSON.
        if isinstance(value, str):
            return json.dumps(value, ensure_ascii=False)
        return value
    if op == "unserialisable":
        return {"set": {1, 2}}
    if op == "apig-json":
        return apig.json_response({"ok": True, "n": [1, 2]}, 201)
    if op == "apig-text":
        return apig.text_response("grüße ✓")
    if op == "apig-binary":
        return apig.binary_response(bytes(range(256)))
    if op == "apig-decode":
        return {"body": decode.apig_request_body(event["event"]).hex()}
    if op == "context":
        names = [
            n for n in dir(context) if n.startswith("get") and n not in _NOT_GETTERS
        ]
        out: dict[str, object] = {n: getattr(context, n)() for n in names}
        out["userData"] = context.getUserData("msg")
        out["missing"] = context.getUserData("nope")
        return out
    if op == "logger":
        logger = context.getLogger()
        logger.info("hello from the context logger")
        logger.warning("careful")
        return "logged"
    msg = f"unknown op {op!r}"
    raise ValueError(msg)


handler = _json_handler if os.environ.get("FG_TEST_MODE") == "json" else _raw_handler
