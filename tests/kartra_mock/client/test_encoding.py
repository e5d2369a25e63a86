"""Request bodies are PHP's ``http_build_query`` output, byte for byte (docs/behaviour.md#wire).

Checked three ways: against the bodies WP Fusion (a PHP client using ``http_build_query``)
put on the wire, against PHP itself on generated structures, and on PHP's known outputs.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kartra_mock.client import commands, http_build_query, lead_params
from kartra_mock.client.commands import ChainBuilder
from kartra_mock.client.core import ClientCore, Credentials
from kartra_mock.client.encoding import encode_body, php_urlencode

CAPTURES = [
    json.loads(line)
    for line in (Path(__file__).parents[2] / "data" / "third-party-clients.jsonl")
    .read_text(encoding="utf-8")
    .splitlines()
    if line.strip()
]
WP_FUSION = [c for c in CAPTURES if c["client"].startswith("wp-fusion")]
QS_CLIENT = [c for c in CAPTURES if c["client"].startswith("scoby")]


def decode(body: str) -> dict[str, Any]:
    """A form body as nested maps, in order (the inverse of http_build_query, for tests)."""
    root: dict[str, Any] = {}
    for key, value in parse_qsl(body, keep_blank_values=True, strict_parsing=True):
        name, *rest = re.findall(r"^[^\[]+|(?<=\[)[^\]]*(?=\])", key)
        node = root
        for part in [name, *rest][:-1]:
            node = node.setdefault(part, {})
        node[[name, *rest][-1]] = value
    return root


@pytest.mark.parametrize("capture", WP_FUSION, ids=range(len(WP_FUSION)))
def test_the_same_structure_gives_wp_fusions_bytes(capture: dict[str, str]) -> None:
    assert http_build_query(decode(capture["raw_body"])) == capture["raw_body"]


@pytest.mark.parametrize("capture", QS_CLIENT, ids=range(len(QS_CLIENT)))
def test_qs_bytes_differ_only_in_how_a_space_is_written(capture: dict[str, str]) -> None:
    php = http_build_query(decode(capture["raw_body"]))
    assert php == capture["raw_body"].replace("%20", "+")


WP_CREDENTIALS = Credentials("wpfusion-app-id", "test-api-key", "test-api-password")
AUGUSTA = {
    "first_name": "Augusta",
    "custom_fields": {"favourite_colour": "blue"},
    "cmd": "edit_lead",  # WP Fusion sends it; Kartra ignores it
    "id": 4242,
    "new_email": "ada.new@example.com",
}
ADA = {
    "email": "ada@example.com",
    "first_name": "Ada",
    "last_name": "Lovelace",
    "custom_fields": {"favourite_colour": "green"},
    "ip": "203.0.113.7",
}
#: What this client's commands send for each WP Fusion capture, by capture index.
CLIENT_CALLS: dict[int, Callable[[], object]] = {
    0: lambda: commands.act(ChainBuilder().retrieve_account_tags()).params,
    2: lambda: commands.act(ChainBuilder().retrieve_account_lists()).params,
    3: lambda: commands.act(ChainBuilder().retrieve_custom_fields()).params,
    4: lambda: ChainBuilder(ADA).subscribe_lead_to_list("Newsletter").create_lead().params(),
    5: lambda: commands.get_lead(commands.identity(None, "ada@example.com")).params,
    6: lambda: commands.get_lead(commands.identity(4242, None)).params,
    7: lambda: ChainBuilder({"id": 4242}).assign_tag("VIP").assign_tag("Paying Customer").params(),
    8: lambda: commands.act(commands.on_lead(4242, None).unassign_tag("VIP")).params,
    9: lambda: ChainBuilder(AUGUSTA).edit_lead().params(),
}


@pytest.mark.parametrize("index", sorted(CLIENT_CALLS))
def test_the_client_puts_wp_fusions_bytes_on_the_wire(index: int) -> None:
    params = CLIENT_CALLS[index]()
    assert isinstance(params, dict)
    request = ClientCore(WP_CREDENTIALS, clock=lambda: 0.0).build(params)
    assert request.body == WP_FUSION[index]["raw_body"].encode()


def test_custom_fields_and_checkbox_arrays() -> None:
    lead = lead_params(
        {"email": "a@b.c", "custom_fields": {"text1": "hi there", "checkbox1": [620]}}
    )
    assert http_build_query({"lead": lead}) == (
        "lead%5Bemail%5D=a%40b.c"
        "&lead%5Bcustom_fields%5D%5B0%5D%5Bfield_identifier%5D=text1"
        "&lead%5Bcustom_fields%5D%5B0%5D%5Bfield_value%5D=hi+there"
        "&lead%5Bcustom_fields%5D%5B1%5D%5Bfield_identifier%5D=checkbox1"
        "&lead%5Bcustom_fields%5D%5B1%5D%5Bfield_value%5D%5B0%5D=620"
    )


@pytest.mark.parametrize(
    ("value", "php"),
    [
        # PHP 8.4's own answers (``http_build_query(["a" => $value])``).
        ("~ *é", "%7E+%2A%C3%A9"),
        ("a-b_c.d", "a-b_c.d"),
        ("&=+%[]", "%26%3D%2B%25%5B%5D"),
        (True, "1"),
        (False, "0"),
        (1.0, "1"),
        (0.1, "0.1"),
        (2.5, "2.5"),
        (100.0, "100"),
        (-0.0, "-0"),
        (1e14, "1.0E%2B14"),
        (1.5e15, "1.5E%2B15"),
        (123456789012345.6, "1.2345678901235E%2B14"),
        (0.0001, "0.0001"),
        (1e-5, "1.0E-5"),
        (1.25e-5, "1.25E-5"),
        (float("nan"), "NAN"),
        (float("inf"), "INF"),
        (12345678901234567890, "12345678901234567890"),
    ],
    ids=repr,
)
def test_scalars_as_php_writes_them(value: object, php: str) -> None:
    assert http_build_query({"a": value}) == f"a={php}"


def test_none_and_empty_arrays_send_nothing_as_in_php() -> None:
    assert http_build_query({"a": None, "b": [], "c": {}, "d": [None], "e": ""}) == "e="


def test_keys_are_encoded_too() -> None:
    assert http_build_query({"a b": {"c&d": "x"}, 3: "y"}) == "a+b%5Bc%26d%5D=x&3=y"  # type: ignore[dict-item]


def test_bytes_are_sent_raw_and_other_objects_are_refused() -> None:
    assert encode_body({"a": b"\xff\x00"}) == b"a=%FF%00"
    with pytest.raises(TypeError, match=r"lead%5Bx%5D: cannot send a object"):
        http_build_query({"lead": {"x": object()}})


def test_php_urlencode_keeps_only_rfc1738_unreserved() -> None:
    every = "".join(chr(c) for c in range(128))
    encoded = php_urlencode(every)
    kept = re.sub(r"%[0-9A-F]{2}|\+", "", encoded)
    assert set(kept) == set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-")


PHP = shutil.which("php")
_scalars = (
    st.text(st.characters(codec="utf-8"), max_size=8)
    | st.integers(-(2**62), 2**62)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.booleans()
    | st.none()
)
_keys = st.text(st.characters(codec="utf-8", exclude_characters="[]"), max_size=5)
_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_keys, inner, max_size=3),
    max_leaves=12,
)
_PHP_SCRIPT = "echo http_build_query(json_decode(stream_get_contents(STDIN), true));"


@pytest.mark.php
@pytest.mark.slow
@pytest.mark.skipif(PHP is None, reason="php-cli is not installed (the test oracle)")
@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.text(st.characters(codec="ascii", categories=("L", "N")), min_size=1, max_size=5),
        _values,
        max_size=4,
    )
)
def test_php_itself_agrees(params: dict[str, object]) -> None:
    assert PHP is not None
    php = subprocess.run(
        [PHP, "-r", _PHP_SCRIPT],
        input=json.dumps(params).encode(),
        capture_output=True,
        check=True,
    )
    assert http_build_query(params) == php.stdout.decode()
