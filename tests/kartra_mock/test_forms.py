"""Unit tests for kartra_mock.protocol.forms: every PHP decoding rule, literal expected outputs.

Expected values marked "PHP 8.2" were taken from Debian's PHP 8.2 (``parse_str``, and
``$_POST``/``$_REQUEST`` through ``php -S``); test_forms_php_oracle.py checks many more.
"""

from __future__ import annotations

import dataclasses

import pytest

from kartra_mock.protocol import forms, rules
from kartra_mock.protocol.forms import (
    Decoded,
    PhpValue,
    decode_body,
    decode_json,
    merge_request,
    parse_str,
)

FORM = "application/x-www-form-urlencoded"


def post(body: bytes) -> dict[str, PhpValue]:
    """What PHP's ``$_POST`` holds for a form-encoded body."""
    return decode_body(body, FORM).params


def rule_ids(decoded: Decoded) -> list[str]:
    return [warning.rule for warning in decoded.warnings]


def test_public_api() -> None:
    assert forms.__all__ == [
        "POST_MAX_SIZE",
        "Decoded",
        "Params",
        "PhpValue",
        "decode_body",
        "decode_json",
        "decode_multipart",
        "merge_request",
        "parse_str",
    ]
    assert forms.POST_MAX_SIZE == 8 * 1024 * 1024


def test_decoded_is_frozen() -> None:
    decoded = parse_str(b"a=1")
    with pytest.raises(dataclasses.FrozenInstanceError):
        decoded.params = {}  # type: ignore[misc]  # the point: frozen


def test_the_invalid_multipart_rule_is_in_the_catalogue() -> None:
    assert rules.INVALID_MULTIPART in rules.RULES
    assert rules.INVALID_MULTIPART.id == "wire.invalid-multipart"


# --- application/x-www-form-urlencoded -----------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"a=1&b=2", {"a": "1", "b": "2"}),
        (b"lead[email]=x%40y.z", {"lead": {"email": "x@y.z"}}),
        (b"lead%5Bemail%5D=x%40y.z", {"lead": {"email": "x@y.z"}}),
        (b"lead%5bemail%5d=x", {"lead": {"email": "x"}}),
        (
            b"lead[custom_fields][0][field_value][0]=620",
            {"lead": {"custom_fields": {"0": {"field_value": {"0": "620"}}}}},
        ),
        (b"a=x+y%20z", {"a": "x y z"}),
        (b"a=%2B%26%3D", {"a": "+&="}),
        (b"a%26b=1", {"a&b": "1"}),
        (b"a=b=c", {"a": "b=c"}),
        (b"a", {"a": ""}),
        (b"a&b=", {"a": "", "b": ""}),
        (b"a=1&&b=2", {"a": "1", "b": "2"}),
        (b"&a=1&", {"a": "1"}),
        (b"", {}),
        (b"a=%C3%A9&%C3%A9=1", {"a": "é", "é": "1"}),
        (b"a=\xc3%A9", {"a": "é"}),  # a raw byte and an escaped one make one character
    ],
)
def test_pairs(body: bytes, expected: dict[str, PhpValue]) -> None:
    assert post(body) == expected
    assert parse_str(body).params == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"a[]=1&a[]=2", {"a": {"0": "1", "1": "2"}}),
        (b"a[5]=x&a[]=y", {"a": {"5": "x", "6": "y"}}),
        (b"a[x]=1&a[]=2", {"a": {"x": "1", "0": "2"}}),
        # PHP 8.2: the next key follows the largest integer key, negative ones too.
        (b"a[-5]=1&a[]=2", {"a": {"-5": "1", "-4": "2"}}),
        (b"a[]=1&a[-5]=2&a[]=3", {"a": {"0": "1", "-5": "2", "1": "3"}}),
        # "05", "-0" and "00" are string keys: they move nothing; "0" and "0" are one key.
        (b"a[05]=1&a[]=2", {"a": {"05": "1", "0": "2"}}),
        (b"a[-0]=1&a[00]=2&a[0]=3&a[]=4", {"a": {"-0": "1", "00": "2", "0": "3", "1": "4"}}),
        (b"a[0]=1&a[0]=2", {"a": {"0": "2"}}),
        (b"a[][]=1&a[][]=2", {"a": {"0": {"0": "1"}, "1": {"0": "2"}}}),
        (b"a[][x]=1&a[][x]=2", {"a": {"0": {"x": "1"}, "1": {"x": "2"}}}),
        (
            b"a[9223372036854775806]=1&a[]=2",
            {"a": {"9223372036854775806": "1", "9223372036854775807": "2"}},
        ),
        # PHP 8.2: no free key after PHP_INT_MAX, the value is dropped.
        (b"a[9223372036854775807]=1&a[]=2", {"a": {"9223372036854775807": "1"}}),
        # Out of the integer range: a string key, which does not move the next key.
        (b"a[9223372036854775808]=1&a[]=2", {"a": {"9223372036854775808": "1", "0": "2"}}),
        (
            b"a[-9223372036854775808]=1&a[]=2",
            {"a": {"-9223372036854775808": "1", "-9223372036854775807": "2"}},
        ),
    ],
)
def test_appending(body: bytes, expected: dict[str, PhpValue]) -> None:
    assert post(body) == expected


def test_a_later_duplicate_overwrites_in_place() -> None:
    assert list(post(b"a=1&b=2&a=3").items()) == [("a", "3"), ("b", "2")]
    assert post(b"a[x]=1&a[y]=2&a[x]=3") == {"a": {"x": "3", "y": "2"}}


def test_a_path_through_a_scalar_makes_it_an_array() -> None:
    assert post(b"a=1&a[x]=2") == {"a": {"x": "2"}}
    assert post(b"a[x]=1&a[x][y]=2") == {"a": {"x": {"y": "2"}}}
    assert post(b"a[b][c]=1&a[b]=2&a[b][]=3") == {"a": {"b": {"0": "3"}}}
    assert list(post(b"a=1&b=2&a[x]=3")) == ["a", "b"]


def test_an_array_overwritten_by_a_scalar() -> None:
    assert post(b"a[x]=1&a=2") == {"a": "2"}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"a.b=1", {"a_b": "1"}),
        (b"a+b=1", {"a_b": "1"}),
        (b"a%20b=1", {"a_b": "1"}),
        (b"+a=1", {"a": "1"}),  # leading spaces are skipped
        (b"%20%20a.b[c.d]=1", {"a_b": {"c.d": "1"}}),  # only the base name is rewritten
        (b"a[b=1", {"a_b": "1"}),  # an unclosed "[" is a "_" …
        (b"a[b.c[d=1", {"a_b_c_d": "1"}),  # … and so are " ", "." and "[" after it
        (b"a[x][b.c[d=1", {"a": {"x": "1"}}),  # deeper, the rest is ignored
        (b"a[][b=1", {"a": {"0": "1"}}),
        (b"a[b]c=1", {"a": {"b": "1"}}),  # after "]" only "[" continues the name
        (b"a[b]]=1", {"a": {"b": "1"}}),
        (b"a[b[c]]=1", {"a": {"b[c": "1"}}),
        (b"a[ x]=1", {"a": {" x": "1"}}),  # PHP skips one space, yet keeps it in the key
        (b"a[ ]=1", {"a": {"0": "1"}}),
        (b"a[%09]=1", {"a": {"0": "1"}}),  # any isspace() character
        (b"a[  ]=1", {"a": {"  ": "1"}}),
        (b"a%00b=1", {"a": "1"}),  # names are C strings
        (b"a[x%00y]=1", {"a_x": "1"}),
        (b"[a]=1", {}),  # empty base name: dropped
        (b"=1", {}),
        (b"%20=1", {}),
        (b"..Host-x=1", {}),  # mangling must not forge a __Host- or __Secure- name
        (b"__Host-x=1&__Secure-y=2", {"__Host-x": "1", "__Secure-y": "2"}),
        (b"a[__Host-x]=1", {"a": {}}),
        (b"__Host-x[y][__Secure-z]=1", {"__Host-x": {"y": {}}}),
    ],
)
def test_names_php_rewrites(body: bytes, expected: dict[str, PhpValue]) -> None:
    assert post(body) == expected


@pytest.mark.parametrize(
    "body", [b"a.b=1", b"a[b=1", b"a[b]c=1", b"+a=1", b"[a]=1", b"a%00b=1", b"a[__Host-x]=1"]
)
def test_rewritten_names_are_reported(body: bytes) -> None:
    assert rule_ids(decode_body(body, FORM)) == ["wire.mangled-name"]


def test_plain_names_are_not_reported() -> None:
    assert decode_body(b"a=1&b[c][]=2&b[ x]=3&d[e.f]=4&__Host-x=5", FORM).warnings == ()


def test_percent_escapes_that_are_not_kept_literally() -> None:
    decoded = decode_body(b"a=%zz&b=%&c=%4&d=100%25&e=%%41", FORM)
    assert decoded.params == {"a": "%zz", "b": "%", "c": "%4", "d": "100%", "e": "%A"}
    assert rule_ids(decoded) == ["wire.invalid-percent-encoding"]
    assert decoded.warnings[0].detail == "'%zz' (and 3 more)"


def test_a_literal_equals_sign_survives_percent_decoding() -> None:
    assert post(b"a=x=%3D%41=") == {"a": "x==A="}


def test_invalid_utf8_reads_as_replacement_characters() -> None:
    decoded = decode_body(b"a=%FF&b%FE=\xc3", FORM)
    assert decoded.params == {"a": "\ufffd", "b\ufffd": "\ufffd"}
    assert rule_ids(decoded) == ["wire.invalid-utf8"]


def test_the_invalid_utf8_warning_shows_the_bad_bytes_not_the_text_around_them() -> None:
    decoded = decode_body(b"app_id=a&api_password=secr%E4et", FORM)
    (warning,) = decoded.warnings
    assert warning.detail == "b'\\xe4' read with U+FFFD"
    assert "secr" not in warning.detail


def test_nul_bytes() -> None:
    assert post(b"a=1\x00x&b=%00z") == {"a": "1\x00x", "b": "\x00z"}  # PHP 8.2 $_POST
    assert parse_str(b"a=1\x00x&b=2").params == {"a": "1"}  # parse_str stops at a NUL


def test_nesting_up_to_64_levels() -> None:
    name = b"a" + b"[x]" * 64
    value = post(name + b"=1")["a"]
    for _ in range(64):
        assert isinstance(value, dict)
        value = value["x"]
    assert value == "1"


def test_nesting_deeper_than_64_levels_drops_the_whole_variable() -> None:
    too_deep = b"a" + b"[x]" * 65
    decoded = decode_body(b"b=1&a=1&a[y]=2&" + too_deep + b"=3&c=4", FORM)
    assert decoded.params == {"b": "1", "c": "4"}
    assert rule_ids(decoded) == ["wire.max-input-nesting-level"]
    # PHP 8.2: a later "a" comes back, at the end
    assert list(post(b"a=1&b=2&" + too_deep + b"=3&a=4")) == ["b", "a"]
    # the limit is checked before an unclosed "[" is looked at
    assert post(b"a=1&a" + b"[x]" * 64 + b"[y=2") == {}


def test_nesting_limit_is_a_parameter() -> None:
    assert parse_str(b"a[b][c]=1", max_nesting=1).params == {}
    assert parse_str(b"a[b]=1", max_nesting=1).params == {"a": {"b": "1"}}


def many(count: int, prefix: bytes = b"") -> bytes:
    return prefix + b"&".join(b"v%d=1" % number for number in range(count))


def test_post_keeps_max_vars_plus_one_variables() -> None:
    # PHP 8.2 add_post_vars() registers a pair, then counts it: 1001 survive.
    decoded = decode_body(many(1005), FORM)
    assert len(decoded.params) == 1001
    assert list(decoded.params)[-1] == "v1000"
    assert rule_ids(decoded) == ["wire.max-input-vars"]
    assert decoded.warnings[0].detail == "1005 variables; 4 beyond the limit dropped"


def test_post_counts_empty_pairs() -> None:
    assert len(post(many(1001, b"&" * 10))) == 991  # PHP 8.2


def test_post_at_the_limit() -> None:
    assert decode_body(many(1000), FORM).warnings == ()
    assert len(post(many(1001))) == 1001


def test_parse_str_keeps_max_vars_and_skips_empty_pairs() -> None:
    decoded = parse_str(many(1005, b"&&&"))
    assert len(decoded.params) == 1000
    assert rule_ids(decoded) == ["wire.max-input-vars"]
    assert parse_str(many(1000, b"&&&")).warnings == ()
    assert len(parse_str(many(20), max_vars=10).params) == 10


# --- JSON ----------------------------------------------------------------------------------


def test_json_object() -> None:
    decoded = decode_json(b'{"app_id": "x", "lead": {"email": "a@b.c"}}')
    assert decoded.params == {"app_id": "x", "lead": {"email": "a@b.c"}}
    assert rule_ids(decoded) == ["wire.json-body"]


def test_json_lists_become_arrays_and_lead_as_list_stays_a_list() -> None:
    decoded = decode_json(b'{"lead": [{"email": "a@b.c"}], "tags": ["x", "y"], "e": []}')
    assert decoded.params == {
        "lead": {"0": {"email": "a@b.c"}},
        "tags": {"0": "x", "1": "y"},
        "e": {},
    }


@pytest.mark.parametrize(
    ("literal", "expected"),
    [
        (b"true", "1"),
        (b"false", ""),
        (b"null", ""),
        (b"0", "0"),
        (b"-0", "0"),
        (b"42", "42"),
        (b"-17", "-17"),
        (b"9223372036854775807", "9223372036854775807"),
        (b"9223372036854775808", "9.2233720368548E+18"),  # PHP: a too-large int is a float
        (b"1" * 5000, "INF"),
        (b"2.50", "2.5"),
        (b"1.0", "1"),
        (b"-0.0", "-0"),
        (b"0.1", "0.1"),
        (b"0.0001", "0.0001"),
        (b"0.00001", "1.0E-5"),
        (b"1e2", "100"),
        (b"1e14", "1.0E+14"),
        (b"123456789012345.6", "1.2345678901235E+14"),
        (b"99999999999999.9", "1.0E+14"),
        (b"9999999999999.9", "9999999999999.9"),
        (b"12345678901234.5", "12345678901234"),
        (b"1.5e300", "1.5E+300"),
        (b"5e-324", "4.9406564584125E-324"),
        (b"1e999", "INF"),
        (b"-1e999", "-INF"),
    ],
)
def test_json_scalars_read_as_php_strings(literal: bytes, expected: str) -> None:
    assert decode_json(b'{"v": ' + literal + b"}").params == {"v": expected}


def test_json_duplicate_keys_the_last_wins_in_the_first_place() -> None:
    assert list(decode_json(b'{"a": "1", "b": "2", "a": "3"}').params.items()) == [
        ("a", "3"),
        ("b", "2"),
    ]


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"{",
        b"not json",
        b'{"a": 1,}',
        b"[]",
        b'["a"]',
        b'"a"',
        b"1",
        b"null",
        b'{"a": NaN}',
        b'{"a": Infinity}',
        b'{"a": "\xff"}',  # not UTF-8
        b'\xef\xbb\xbf{"a": 1}',  # a BOM: PHP's json_decode refuses it
        b'{"a": "\\ud800"}',  # a lone surrogate: PHP's JSON_ERROR_UTF16
        b'{"\\udfff": "x"}',
        b'{"a": ' + b"[" * 65 + b"]" * 65 + b"}",  # 65 levels below the object
        b"[" * 100_000 + b"]" * 100_000,
        b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
    ],
)
def test_invalid_json_decodes_to_nothing(body: bytes) -> None:
    decoded = decode_json(body)
    assert decoded.params == {}
    assert rule_ids(decoded) == ["wire.json-body", "wire.invalid-json"]


def test_json_nesting_up_to_64_levels_below_the_object() -> None:
    decoded = decode_json(b'{"a": ' + b"[" * 63 + b"[]" + b"]" * 63 + b"}")
    assert rule_ids(decoded) == ["wire.json-body"]
    value: PhpValue = decoded.params["a"]
    depth = 1
    while isinstance(value, dict) and value:
        value, depth = value["0"], depth + 1
    assert depth == 64


def test_json_surrogate_pairs_are_fine() -> None:
    assert decode_json(b'{"a": "\\ud83d\\ude00", "b": "\\\\ud800"}').params == {
        "a": "😀",
        "b": "\\ud800",
    }


# --- multipart/form-data -------------------------------------------------------------------

MULTIPART = "multipart/form-data; boundary=XyZ"


def part(disposition: bytes, value: bytes, newline: bytes = b"\r\n") -> bytes:
    return (
        b"--XyZ" + newline + b"Content-Disposition: " + disposition + newline * 2 + value + newline
    )


def test_multipart_fields_follow_the_form_name_rules() -> None:
    body = (
        part(b'form-data; name="lead[email]"', b"a@b.c")
        + part(b'form-data; name="actions[]"', b"x")
        + part(b"form-data; name=a.b", b"line1\r\nline2")
        + part(b'form-data; name="a[]"; filename=""', b"")
        + b"--XyZ--\r\n"
    )
    decoded = decode_body(body, MULTIPART)
    assert decoded.params == {
        "lead": {"email": "a@b.c"},
        "actions": {"0": "x"},
        "a_b": "line1\r\nline2",
    }
    assert rule_ids(decoded) == ["wire.mangled-name", "wire.file-upload"]


def test_multipart_file_parts_are_ignored() -> None:
    body = part(b'form-data; name="f"; filename="x.txt"', b"file body") + part(
        b'form-data; name="a"', b"1"
    )
    decoded = decode_body(body + b"--XyZ--", MULTIPART)
    assert decoded.params == {"a": "1"}
    assert rule_ids(decoded) == ["wire.file-upload"]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # LF line ends, a preamble, and quoting as PHP reads it (PHP 8.2)
        (b"preamble\n" + part(b"form-data; name='g h'", b"1", b"\n") + b"--XyZ--\n", {"g_h": "1"}),
        (part(b'form-data; name="e\\"f"', b"1") + b"--XyZ--", {'e"f': "1"}),
        (part(b'form-data; name="a\\\\b\\c"', b"1") + b"--XyZ--", {"a\\b\\c": "1"}),
        (part(b"form-data;\r\n name=folded", b"1") + b"--XyZ--", {"folded": "1"}),
        (part(b'form-data; NAME="a"; name="b"', b"1") + b"--XyZ--", {"b": "1"}),
        # a part after the closing boundary is still read (PHP 8.2)
        (
            part(b'form-data; name="a"', b"1") + b"--XyZ--\r\n" + part(b"form-data; name=b", b"2"),
            {"a": "1", "b": "2"},
        ),
        # a value ends at "\n--boundary"; an empty one right before a boundary keeps it
        (part(b'form-data; name="a"', b"v\n--XyZx"), {"a": "v"}),
        (b'--XyZ\r\nContent-Disposition: form-data; name="a"\r\n\r\n--XyZ\r\n', {"a": "--XyZ"}),
        # a truncated body: the last value runs to the end, minus a partial boundary
        (b'--XyZ\r\nContent-Disposition: form-data; name="a"\r\n\r\ntrunc\r\n--Xy', {"a": "trunc"}),
        # a line that is more than the boundary is no boundary
        (b'--XyZ--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--XyZ--', {}),
    ],
)
def test_multipart_framing(body: bytes, expected: dict[str, PhpValue]) -> None:
    assert decode_body(body, MULTIPART).params == expected


def test_multipart_without_name_stops_reading() -> None:
    body = (
        part(b'form-data; name="a"', b"1")
        + part(b"form-data", b"2")
        + part(b'form-data; name="b"', b"3")
        + b"--XyZ--"
    )
    decoded = decode_body(body, MULTIPART)
    assert decoded.params == {"a": "1"}  # PHP 8.2: "File Upload Mime headers garbled"
    assert rule_ids(decoded) == ["wire.invalid-multipart"]


@pytest.mark.parametrize(
    "content_type",
    [
        "multipart/form-data; BOUNDARY=XyZ",
        'multipart/form-data; boundary="XyZ"',
        "multipart/form-data; boundary=XyZ; charset=UTF-8",
        "Multipart/Form-Data;boundary=XyZ,other",
    ],
)
def test_multipart_boundary_parameter(content_type: str) -> None:
    body = part(b'form-data; name="a"', b"1") + b"--XyZ--"
    assert decode_body(body, content_type).params == {"a": "1"}


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("multipart/form-data", part(b"form-data; name=a", b"1")),
        ('multipart/form-data; boundary="XyZ', part(b"form-data; name=a", b"1")),
        (MULTIPART, b"no boundary line at all"),
        (MULTIPART, b'--XyZ\r\nContent-Disposition: form-data; name="a"\r\n\r\nno end'),
    ],
)
def test_malformed_multipart(content_type: str, body: bytes) -> None:
    decoded = decode_body(body, content_type)
    assert "wire.invalid-multipart" in rule_ids(decoded)
    assert decoded.params in ({}, {"a": "no end"})


def test_multipart_limits() -> None:
    fields = b"".join(part(b'form-data; name="v%d"' % n, b"1") for n in range(1005))
    decoded = decode_body(fields + b"--XyZ--", MULTIPART)
    assert len(decoded.params) == 1000  # PHP 8.2: rfc1867 checks before registering
    assert rule_ids(decoded) == ["wire.max-input-vars"]
    files = b"".join(part(b'form-data; name="f%d"; filename="x"' % n, b"") for n in range(30))
    decoded = decode_body(files + fields + b"--XyZ--", MULTIPART)
    assert len(decoded.params) == 990  # PHP 8.2: max_multipart_body_parts is 1000 + 20


# --- decode_body ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content_type",
    [
        FORM,
        "application/x-www-form-urlencoded; charset=UTF-8",
        "Application/X-WWW-Form-Urlencoded ; charset=utf-8",
        " application/x-www-form-urlencoded",
    ],
)
def test_form_content_types(content_type: str) -> None:
    assert decode_body(b"a=1", content_type) == Decoded({"a": "1"}, ())


@pytest.mark.parametrize(
    "content_type",
    ["application/json", "application/JSON; charset=UTF-8", "application/vnd.api+json"],
)
def test_json_content_types(content_type: str) -> None:
    decoded = decode_body(b'{"a": 1}', content_type)
    assert decoded.params == {"a": "1"}
    assert rule_ids(decoded) == ["wire.json-body"]


@pytest.mark.parametrize("content_type", [None, "", "text/plain", "application/xml", "a=1"])
def test_other_content_types_are_ignored(content_type: str | None) -> None:
    decoded = decode_body(b"a=1", content_type)
    assert decoded.params == {}
    assert rule_ids(decoded) == ["wire.content-type"]


@pytest.mark.parametrize("content_type", [None, "text/plain", FORM, "application/json", MULTIPART])
def test_an_empty_body_is_no_parameters_and_no_warning(content_type: str | None) -> None:
    assert decode_body(b"", content_type) == Decoded({}, ())


def test_post_max_size() -> None:
    at_the_limit = b"a=" + b"x" * (forms.POST_MAX_SIZE - 2)
    assert decode_body(at_the_limit, FORM).params == {"a": "x" * (forms.POST_MAX_SIZE - 2)}
    decoded = decode_body(at_the_limit + b"x", FORM)
    assert decoded.params == {}
    assert rule_ids(decoded) == ["wire.post-max-size"]


# --- merge_request -------------------------------------------------------------------------


def test_merge_request_is_php_request() -> None:
    query = parse_str(b"a=q&c[x]=1&c[y]=2&b[z]=3&d=4")
    body = decode_body(b"a=1&c[y]=9&c[w]=8&b=2&d[k]=5", FORM)
    merged = merge_request(query, body)
    assert merged.params == {
        "a": "1",
        "c": {"x": "1", "y": "9", "w": "8"},
        "b": "2",
        "d": {"k": "5"},
    }
    assert list(merged.params) == ["a", "c", "b", "d"]


def test_merge_request_keeps_both_sides_warnings_and_inputs() -> None:
    query = parse_str(b"a.b=1&n[x]=1")
    body = decode_json(b'{"n": {"y": 2}}')
    merged = merge_request(query, body)
    assert rule_ids(merged) == ["wire.mangled-name", "wire.json-body"]
    assert merged.params == {"a_b": "1", "n": {"x": "1", "y": "2"}}
    assert query.params == {"a_b": "1", "n": {"x": "1"}}
    assert body.params == {"n": {"y": "2"}}


def test_merge_request_with_empty_sides() -> None:
    empty = Decoded({}, ())
    assert merge_request(empty, parse_str(b"a=1")).params == {"a": "1"}
    assert merge_request(parse_str(b"a=1"), empty).params == {"a": "1"}
