"""Property tests for kartra_mock.protocol.forms: clients' encodings round-trip, nothing raises."""

from __future__ import annotations

import json
import secrets

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kartra_mock.protocol.forms import (
    Decoded,
    Params,
    PhpValue,
    decode_body,
    decode_json,
    decode_multipart,
    merge_request,
    parse_str,
)
from kartra_mock.protocol.rules import ContractWarning
from tests.kartra_mock import encoders

FORM = "application/x-www-form-urlencoded"

# Keys real clients send: letters, digits, underscores, and list indices.
keys = st.from_regex(r"[A-Za-z0-9_]{1,8}", fullmatch=True) | st.integers(0, 10**6).map(str)
values = st.text(st.characters(blacklist_categories=["Cs"]), max_size=12) | st.sampled_from(
    ["", " ", "&=+%[]", "a b", "%zz", "%", "100%", "x+y", "[]", "a\r\nb", "\x00", "é😀", "x\r"]
)
nested: st.SearchStrategy[PhpValue] = st.recursive(
    values, lambda children: st.dictionaries(keys, children, min_size=1, max_size=4), max_leaves=8
)
structures: st.SearchStrategy[Params] = st.dictionaries(keys, nested, max_size=5)


@pytest.mark.slow
@settings(max_examples=100)
@given(structures)
def test_php_http_build_query_round_trips(params: Params) -> None:
    body = encoders.http_build_query(params)
    assert decode_body(body, FORM) == Decoded(params, ())
    assert parse_str(body) == Decoded(params, ())


@pytest.mark.slow
@settings(max_examples=100)
@given(structures)
def test_js_qs_stringify_round_trips(params: Params) -> None:
    body = encoders.qs_stringify(params)
    assert decode_body(body, FORM) == Decoded(params, ())
    assert parse_str(body) == Decoded(params, ())


@pytest.mark.slow
@settings(max_examples=100)
@given(structures)
def test_url_search_params_round_trips(params: Params) -> None:
    body = encoders.url_search_params(params)
    assert decode_body(body, FORM) == Decoded(params, ())
    assert parse_str(body) == Decoded(params, ())


@pytest.mark.slow
@settings(max_examples=100)
@given(structures)
def test_raw_brackets_round_trip(params: Params) -> None:
    body = encoders.raw_brackets(params)
    assert decode_body(body, FORM) == Decoded(params, ())
    assert parse_str(body) == Decoded(params, ())


@pytest.mark.slow
@settings(max_examples=100)
@given(structures)
def test_multipart_round_trips(params: Params) -> None:
    boundary = "----kartra" + secrets.token_hex(12)
    body, content_type = encoders.multipart_form(params, boundary)
    assert decode_body(body, content_type) == Decoded(params, ())


json_documents = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | values,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(keys, children, max_size=3),
    max_leaves=12,
)


def php_view(document: object) -> PhpValue:
    """The naive model: how a PHP endpoint reads a decoded JSON value as a string or array."""
    if isinstance(document, dict):
        return {key: php_view(value) for key, value in document.items()}
    if isinstance(document, list):
        return {str(index): php_view(value) for index, value in enumerate(document)}
    if document is True:
        return "1"
    if document is False or document is None:
        return ""
    return str(document)


@settings(max_examples=100)
@given(st.dictionaries(keys, json_documents, max_size=5))
def test_json_objects_decode_like_php(document: dict[str, object]) -> None:
    decoded = decode_json(json.dumps(document).encode())
    assert decoded.params == php_view(document)
    assert [warning.rule for warning in decoded.warnings] == ["wire.json-body"]


@pytest.mark.slow
@settings(max_examples=50)
@given(structures, structures)
def test_merge_request_model(query: Params, body: Params) -> None:
    merged = merge_request(Decoded(query, ()), Decoded(body, ())).params
    assert list(merged)[: len(query)] == list(query)
    assert set(merged) == set(query) | set(body)
    for key, value in merged.items():
        if key not in body:
            assert value == query[key]
        elif not (isinstance(body[key], dict) and isinstance(query.get(key), dict)):
            assert value == body[key]


def assert_php_values(value: PhpValue) -> None:
    """Every value is a str or a dict with str keys, all the way down."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            assert all(isinstance(key, str) for key in item)
            stack.extend(item.values())
        else:
            assert isinstance(item, str)


def assert_well_formed(decoded: Decoded) -> None:
    assert isinstance(decoded.params, dict)
    assert_php_values(decoded.params)
    assert all(isinstance(warning, ContractWarning) for warning in decoded.warnings)


content_types = st.sampled_from(
    [
        None,
        "",
        FORM,
        "application/json",
        "application/problem+json",
        "multipart/form-data; boundary=B",
        'multipart/form-data; boundary="B"',
        "multipart/form-data",
        "text/plain",
    ]
) | st.text(max_size=40)
TOKENS = [b"a", b"0", b"[", b"]", b"[]", b".", b" ", b"+", b"%", b"%5B", b"%zz", b"=", b"&"]
TOKENS += [b"\x00", b"\xff", b"--B", b"\r\n", b"\n", b'"', b";", b"name=", b"{", b"}", b"[["]
TOKENS += [b"Content-Disposition: ", b'"a":', b"__Host-", b"-5", b"9223372036854775807"]
tokens = st.sampled_from(TOKENS)
junk = st.binary(max_size=300) | st.lists(tokens, max_size=60).map(b"".join)


@settings(max_examples=400)
@given(junk, content_types)
def test_decode_body_never_raises(body: bytes, content_type: str | None) -> None:
    assert_well_formed(decode_body(body, content_type))


@settings(max_examples=200)
@given(junk, st.text(max_size=40), junk)
def test_the_other_decoders_never_raise(body: bytes, content_type: str, query: bytes) -> None:
    assert_well_formed(decode_multipart(body, "multipart/form-data; boundary=B"))
    assert_well_formed(decode_multipart(body, content_type))
    assert_well_formed(decode_json(body))
    assert_well_formed(merge_request(parse_str(query), parse_str(body, post=True)))
