"""The Python event probe: decode one trigger's sample (stdin) with the generated types.

Run as ``python3 -S probe.py TRIGGER`` in a copy of the output; ``python3 -S probe.py --triggers``
prints each trigger's type name. Prints the ProbeResult of test/events/probe.ts as JSON: the
parsed event projected onto the keys its TypedDict declares (recursively), and what the
decode helpers return.
"""

from __future__ import annotations

import json
import sys
import typing

from fgruntime import decode, events


def project(value: object, tp: object) -> object:
    """Value through the keys that tp declares: keys it does not declare are left out."""
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is list:
        return [project(v, args[0]) for v in value] if isinstance(value, list) else value
    if origin is dict:
        if not isinstance(value, dict):
            return value
        return {k: project(v, args[1]) for k, v in value.items()}
    if isinstance(tp, type) and typing.is_typeddict(tp):
        if not isinstance(value, dict):
            return value
        hints = typing.get_type_hints(tp)
        return {k: project(value[k], t) for k, t in hints.items() if k in value}
    return value


def main() -> None:
    if sys.argv[1] == "--triggers":
        print(json.dumps({t: cls.__name__ for t, cls in events.TRIGGERS.items()}))
        return
    trigger = sys.argv[1]
    event = json.loads(sys.stdin.buffer.read())
    decoded: dict[str, object] = {}
    if trigger == "apig":
        decoded["body"] = decode.apig_request_body(event).decode()
    elif trigger == "dis":
        records = event["Message"]["records"]
        decoded["data"] = [decode.dis_record_data(r).decode() for r in records]
    elif trigger == "lts":
        data = decode.lts_body_data(event["lts"])
        decoded["data"] = project(data, events.LtsData)
        decoded["logs"] = project(decode.lts_data_logs(data), list[events.LtsLog])
    result = {"event": project(event, events.TRIGGERS[trigger]), "decoded": decoded}
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
