"""Malformed chat frames, generated from the declaration in chat/frames.py: for every frame type
and every field, every wrong JSON type, every value out of range and the numbers JSON cannot
hold; unknown fields and types; text that is not JSON or not an object; deep nesting; frames
over the size limit. Each entry is (a name for the report, the frame's text)."""

import json

from chat import frames

# Values that are never right for any field: each replaces a field in turn.
WRONG_TYPES = {
    "string digits": '"1"',
    "true": "true",
    "false": "false",
    "null": "null",
    "fraction": "1.5",
    "array": "[]",
    "object": "{}",
    "nested array": "[[1]]",
}
# Numbers JSON text can spell but a field cannot hold (written as raw text: json.dumps cannot).
WRONG_NUMBERS = {
    "negative": "-1",
    "beyond bigint": str(2**63),
    "huge": str(2**200),
    "1e400": "1e400",
    "Infinity": "Infinity",
    "-Infinity": "-Infinity",
    "NaN": "NaN",
    "exponent": "1e3",
}
DEEP = 8_000


def _valid(kind, model):
    """A well-formed frame of type ``kind``, as raw JSON values per field."""
    values = {
        "room": "1",
        "message": "1",
        "after": "0",
        "seq": "0",
        "client_id": '"c1"',
        "body": '"hallo"',
    }
    return {
        name: json.dumps(kind) if name == "type" else values[name] for name in model.model_fields
    }


def _text(fields):
    return "{" + ",".join(f"{json.dumps(name)}:{value}" for name, value in fields.items()) + "}"


def corpus():
    cases = [
        ("not JSON", "{niet json"),
        ("empty text", ""),
        ("a lone quote", '"'),
        ("an array", '["subscribe"]'),
        ("a number", "7"),
        ("null", "null"),
        ("a string", '"ping"'),
        ("an empty object", "{}"),
        ("deep arrays", "[" * DEEP + "]" * DEEP),
        ("deep objects", '{"a":' * DEEP + "1" + "}" * DEEP),
        ("over the size limit", json.dumps({"type": "ping", "pad": "x" * frames.MAX_FRAME_BYTES})),
        ("unknown type", '{"type":"dans"}'),
        ("type in capitals", '{"type":"PING"}'),
        ("type with a space", '{"type":"ping "}'),
    ]
    for name, value in {**WRONG_TYPES, **WRONG_NUMBERS}.items():
        cases.append((f"type: {name}", '{"type":' + value + "}"))
    for kind, model in frames.FRAMES.items():
        valid = _valid(kind, model)
        # The base is right, so each case below is wrong for one reason only.
        assert frames.parse(_text(valid)) == model.model_validate(json.loads(_text(valid)))
        cases.append((f"{kind}: unknown field", _text({**valid, "extra": "1"})))
        for field in valid:
            if field == "type":
                continue
            if model.model_fields[field].is_required():
                missing = {k: v for k, v in valid.items() if k != field}
                cases.append((f"{kind}.{field}: missing", _text(missing)))
            wrong = {**WRONG_TYPES, **WRONG_NUMBERS}
            if field in ("client_id", "body"):
                wrong = {k: v for k, v in wrong.items() if k != "string digits"}
                wrong["a number"] = "1"
            if field in ("room", "message"):
                wrong["zero"] = "0"
            if field == "client_id":
                wrong["empty"] = '""'
                wrong["too long"] = json.dumps("c" * (frames.MAX_CLIENT_ID + 1))
            for name, value in wrong.items():
                cases.append((f"{kind}.{field}: {name}", _text({**valid, field: value})))
            cases.append(
                (f"{kind}.{field}: deep", _text({**valid, field: "[" * DEEP + "]" * DEEP}))
            )
    return cases
