"""PHP's formats, written once: the float and query encodings both directions use."""

from __future__ import annotations

import json
import math
import shutil
import subprocess

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
        # Ties at the 15th digit of a whole number: PHP keeps the 14 digits' trailing zeros
        # when it rounds down (half to even) and rounds up as usual (PHP 8.2's output).
        (362587690236505.0, "3.6258769023650E+14"),
        (-362587690236505.0, "-3.6258769023650E+14"),
        (100000000000005.0, "1.0000000000000E+14"),
        (123456789012305.0, "1.2345678901230E+14"),
        (362587690236515.0, "3.6258769023652E+14"),
        (999999999999995.0, "1.0E+15"),
        (362587690236500.5, "3.625876902365E+14"),
        (100000000000000.5, "1.0E+14"),
    ],
)
def test_php_float_is_phps_string_of_a_float(number: float, text: str) -> None:
    assert php.php_float(number) == text


def test_the_mock_and_the_client_share_one_encoder() -> None:
    assert encoding.http_build_query is php.http_build_query
    assert encoding.php_urlencode is php.php_urlencode
    assert decode_json(b'{"n": 1e25, "m": 0.5}').params == {"n": "1.0E+25", "m": "0.5"}
    assert php.http_build_query({"n": 1e25, "b": True, "x": None}) == "n=1.0E%2B25&b=1"


_PHP = shutil.which("php")


@pytest.mark.php
@pytest.mark.skipif(_PHP is None, reason="php-cli is not installed (the test oracle)")
def test_php_agrees_on_whole_numbers_with_fifteen_digits() -> None:
    assert _PHP is not None
    # Where PHP's dtoa changes path: whole numbers of 15 digits, every last digit, both
    # parities of the 14th, and their neighbours one unit in the last place away.
    numbers = [
        float(base + last)
        for base in (100000000000000, 362587690236500, 452976537428510, 999999999999990)
        for last in range(10)
    ]
    numbers += [math.nextafter(number, math.inf) for number in numbers]
    script = 'foreach (json_decode(stream_get_contents(STDIN)) as $v) echo (string)$v, "\\n";'
    done = subprocess.run(
        [_PHP, "-r", script], input=json.dumps(numbers).encode(), capture_output=True, check=True
    )
    assert [php.php_float(number) for number in numbers] == done.stdout.decode().split()
