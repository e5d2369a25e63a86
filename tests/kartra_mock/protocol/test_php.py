"""PHP's formats, written once: the float and query encodings both directions use."""

from __future__ import annotations

import pytest

from kartra_mock.client import encoding
from kartra_mock.protocol import php
from kartra_mock.protocol.forms import decode_json


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (0.0, "0"),
        (-0.0, "-0"),
        (0.1 + 0.2, "0.3"),
        (1e14, "1.0E+14"),
        (99999999999999.0, "99999999999999"),
        (0.0001, "0.0001"),
        (0.00001, "1.0E-5"),
        (1.5e300, "1.5E+300"),
        (float("inf"), "INF"),
        (float("-inf"), "-INF"),
        (float("nan"), "NAN"),
    ],
)
def test_php_float_is_phps_string_of_a_float(number: float, text: str) -> None:
    assert php.php_float(number) == text


def test_the_mock_and_the_client_share_one_encoder() -> None:
    assert encoding.http_build_query is php.http_build_query
    assert encoding.php_urlencode is php.php_urlencode
    assert decode_json(b'{"n": 1e25, "m": 0.5}').params == {"n": "1.0E+25", "m": "0.5"}
    assert php.http_build_query({"n": 1e25, "b": True, "x": None}) == "n=1.0E%2B25&b=1"
