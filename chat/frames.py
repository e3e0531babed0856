"""The frames a chat client may send, declared once and checked before anything acts on them.

A frame is JSON text of at most ``MAX_FRAME_BYTES`` bytes: an object with a known ``type`` and
exactly that type's fields, each of its declared JSON type (a room is a whole number, never
``"1"`` or ``true``) and within its range (no ``Infinity``, no ``1e400``). Anything else is
answered with an error frame that names the first field at fault; the connection stays usable.

pydantic (which Wagtail already brings) does the checking, in strict mode: no coercion.
"""

import json
from typing import Annotated, Literal

from django.conf import settings
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, ValidationError

MAX_FRAME_BYTES = 16_384
# Ids and sequence numbers are PostgreSQL bigints at most.
MAX_ID = 2**63 - 1
# A client id is what the client made up for a message (chat.Message.client_id).
MAX_CLIENT_ID = 64

Id = Annotated[int, Field(strict=True, ge=1, le=MAX_ID)]
Seq = Annotated[int, Field(strict=True, ge=0, le=MAX_ID)]
Text = Annotated[str, Field(strict=True, max_length=MAX_FRAME_BYTES)]


class _Frame(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class Subscribe(_Frame):
    type: Literal["subscribe"]
    room: Id
    after: Seq = 0


class Unsubscribe(_Frame):
    type: Literal["unsubscribe"]
    room: Id


class Send(_Frame):
    type: Literal["send"]
    room: Id
    client_id: Annotated[str, Field(strict=True, min_length=1, max_length=MAX_CLIENT_ID)]
    body: Text


class Edit(_Frame):
    type: Literal["edit"]
    message: Id
    body: Text


class Delete(_Frame):
    type: Literal["delete"]
    message: Id


class Read(_Frame):
    type: Literal["read"]
    room: Id
    seq: Seq


class Ping(_Frame):
    type: Literal["ping"]


FRAMES = {
    "subscribe": Subscribe,
    "unsubscribe": Unsubscribe,
    "send": Send,
    "edit": Edit,
    "delete": Delete,
    "read": Read,
    "ping": Ping,
}


class BadFrame(Exception):
    """What is wrong with a frame: ``code`` for the client's code, ``reason`` for people, and
    what of the frame can be echoed so the client can match the error to its request."""

    def __init__(self, code, reason, echo=None):
        super().__init__(reason)
        self.code = code
        self.reason = reason
        self.echo = echo or {}


def _reject_constant(name):
    # json accepts NaN, Infinity and -Infinity, which are not JSON.
    raise ValueError(name)


def echo_of(data):
    """The request fields of a frame that the client may match an error to, when well-formed."""
    if not isinstance(data, dict):
        return {}
    return {
        key: data[key]
        for key in ("client_id", "room", "message")
        if key in data
        and (_is_id(data[key]) or (isinstance(data[key], str) and len(data[key]) <= MAX_CLIENT_ID))
    }


def _is_id(value):
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


def parse(text):
    """The frame in ``text`` as its declared model; ``BadFrame`` otherwise."""
    if text is None or len(text.encode()) > MAX_FRAME_BYTES:
        raise BadFrame("too_large", too_large_reason())
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        # RecursionError: nesting deeper than Python's parser goes (a frame of 8,000 "[").
        raise BadFrame("malformed", _("Frames must be JSON objects.")) from None
    if not isinstance(data, dict):
        raise BadFrame("malformed", _("Frames must be JSON objects."))
    kind = data.get("type")
    model = FRAMES.get(kind) if isinstance(kind, str) else None
    if model is None:
        shown = kind if isinstance(kind, str) else json.dumps(kind)[:40]
        raise BadFrame(
            "unknown_type",
            _("Unknown frame type: %(type)s.") % {"type": str(shown)[:40]},
            echo_of(data),
        )
    try:
        return model.model_validate(data)
    except (ValidationError, RecursionError) as error:
        field = _first_field(error)
        raise BadFrame(
            "malformed",
            _("A field of this frame is missing or has the wrong type: %(field)s.")
            % {"field": field},
            echo_of(data),
        ) from None


def _first_field(error):
    if isinstance(error, ValidationError) and error.errors():
        location = error.errors()[0]["loc"]
        return ".".join(str(part) for part in location)[:40] or "type"
    return "type"


def too_large_reason():
    return _(
        "Frames are JSON text of at most %(bytes)s bytes (messages up to %(limit)s characters)."
    ) % {"bytes": MAX_FRAME_BYTES, "limit": settings.MEENT_CHAT_MAX_LENGTH}
