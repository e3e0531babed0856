"""Every frame a client sends is checked against chat/frames.py before anything acts on it: the
generated corpus of malformed frames (tests/chat/frame_corpus.py) is refused with a reason, and
well-formed frames come through as declared."""

import json

import pytest

from chat import frames

from .frame_corpus import corpus

CASES = corpus()


def test_the_corpus_covers_every_frame_type_and_field():
    names = {name for name, _ in CASES}
    for kind, model in frames.FRAMES.items():
        for field in model.model_fields:
            if field != "type":
                assert f"{kind}.{field}: 1e400" in names
    assert len(CASES) > 200


@pytest.mark.parametrize(("name", "text"), CASES, ids=[name for name, _ in CASES])
def test_a_malformed_frame_is_refused_with_a_reason(name, text):
    with pytest.raises(frames.BadFrame) as refused:
        frames.parse(text)
    assert refused.value.code in ("malformed", "unknown_type", "too_large")
    assert refused.value.reason
    json.dumps(refused.value.echo)  # what is echoed can be sent back


def test_a_field_at_fault_is_named():
    with pytest.raises(frames.BadFrame) as refused:
        frames.parse('{"type":"subscribe","room":"1"}')
    assert "room" in refused.value.reason
    with pytest.raises(frames.BadFrame) as refused:
        frames.parse('{"type":"read","room":1,"seq":1e400}')
    assert "seq" in refused.value.reason
    assert refused.value.echo == {"room": 1}


def test_well_formed_frames_come_through_as_declared():
    assert frames.parse('{"type":"subscribe","room":7}') == frames.Subscribe(
        type="subscribe", room=7, after=0
    )
    send = frames.parse('{"type":"send","room":7,"client_id":"c1","body":"hallo"}')
    assert (send.room, send.client_id, send.body) == (7, "c1", "hallo")
    assert frames.parse('{"type":"read","room":7,"seq":0}').seq == 0
    assert frames.parse(json.dumps({"type": "edit", "message": 2**63 - 1, "body": ""})).message
