"""The state document's chunked JSON encoding gives the bytes of one ``json.dumps`` call."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kartra_mock.engine import dumping
from kartra_mock.engine.backend import Backend


def _dumps(document: object) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


@pytest.mark.parametrize("leads", [0, 1, dumping.ENCODE_CHUNK, dumping.ENCODE_CHUNK + 1, 1201])
def test_a_world_of_any_size_encodes_as_json_dumps_does(leads: int) -> None:
    backend = Backend()
    for number in range(leads):
        backend.seed("demo-key", "leads", {"email": f"lead-{number}@example.com"})
    document = backend.state()
    assert dumping.encode(document) == _dumps(document)
    assert len(json.loads(dumping.encode(document))["accounts"][0]["leads"]) == leads


_text = st.text(max_size=12) | st.sampled_from(["\x00list\x00", '"\x00list\x00"', "leads"])
_leaf = st.none() | st.booleans() | st.integers() | _text
_value = st.recursive(
    _leaf,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
    max_leaves=8,
)
_account = st.dictionaries(_text, _value, max_size=3).flatmap(
    lambda extra: st.lists(_value, max_size=4).map(lambda leads: {**extra, "leads": leads})
)


@given(
    st.dictionaries(_text, _value, max_size=3),
    st.lists(_account | st.dictionaries(_text, _value, max_size=2) | _value, max_size=3),
)
def test_any_document_encodes_as_json_dumps_does(
    extra: dict[str, object], accounts: list[object]
) -> None:
    document = {**extra, "accounts": accounts}
    assert dumping.encode(document) == _dumps(document)
