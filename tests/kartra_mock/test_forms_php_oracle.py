"""PHP itself as the oracle: kartra_mock.protocol.forms must decode exactly as PHP 8 does
(docs/behaviour.md#wire).

Three PHP processes serve the whole module: ``php -r`` running ``parse_str`` on one input
per line, another running ``json_decode``, and ``php -S`` answering with ``$_POST`` and
``$_REQUEST`` for real requests (form-encoded and multipart bodies). All print every key
and string base64-encoded, as lists of pairs, so that order, bytes and duplicate keys all
survive the trip.

Skipped without ``php`` on PATH (Debian: ``apt-get install -y php-cli``).

Known differences, which the generated inputs avoid:

- two names or keys that differ only in invalid UTF-8 bytes are one key here (we decode
  with U+FFFD), two in PHP;
- PHP splits multipart header lines longer than its 5 KiB read buffer; we do not.
"""

from __future__ import annotations

import base64
import http.client
import json
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from kartra_mock.protocol.forms import (
    Params,
    PhpValue,
    decode_body,
    decode_json,
    merge_request,
    parse_str,
)
from tests.kartra_mock import encoders

PHP = shutil.which("php")
pytestmark = [
    pytest.mark.php,
    pytest.mark.slow,
    pytest.mark.skipif(PHP is None, reason="needs php on PATH (apt-get install php-cli)"),
]

# PHP's defaults, spelled out: -n ignores any php.ini on the machine.
PHP_SETTINGS = [
    "-n",
    "-d",
    "max_input_vars=1000",
    "-d",
    "max_input_nesting_level=64",
    "-d",
    "post_max_size=8M",
    "-d",
    "variables_order=GPCS",
    "-d",
    "request_order=GP",
    "-d",
    "display_errors=0",
    "-d",
    "log_errors=0",
]
ENCODE = r"""
function enc($v) {
    if (!is_array($v)) return base64_encode($v);
    $o = [];
    foreach ($v as $k => $x) $o[] = [base64_encode((string)$k), enc($x)];
    return $o;
}
"""
PARSE_STR = (
    ENCODE
    + r"""
while (($line = fgets(STDIN)) !== false) {
    $out = [];
    parse_str(base64_decode(trim($line)), $out);
    echo json_encode(enc($out)), "\n";
    fflush(STDOUT);
}
"""
)
# A JSON object as a PHP endpoint reads it: json_decode($body, true), strings by (string).
JSON_DECODE = (
    ENCODE
    + r"""
while (($line = fgets(STDIN)) !== false) {
    $out = json_decode(base64_decode(trim($line)), true);
    echo json_encode(is_array($out) ? enc($out) : []), "\n";
    fflush(STDOUT);
}
"""
)
ROUTER = (
    "<?php\n"
    + ENCODE
    + r"""
header('Content-Type: application/json');
echo json_encode(['post' => enc($_POST), 'request' => enc($_REQUEST)]);
"""
)
PhpPairs = list[list[object]]


def from_php(pairs: PhpPairs) -> Params | None:
    """PHP's array as Params, bytes read as UTF-8 with U+FFFD; None if keys then collide."""
    params: Params = {}
    for raw_key, raw_value in pairs:
        key = base64.b64decode(str(raw_key)).decode(errors="replace")
        if key in params:
            return None
        if isinstance(raw_value, list):
            value: PhpValue | None = from_php(raw_value)
            if value is None:
                return None
        else:
            value = base64.b64decode(str(raw_value)).decode(errors="replace")
        params[key] = value
    return params


class PhpLines:
    """One long-lived ``php -r`` that answers each base64 line it is sent with a JSON line."""

    def __init__(self, php: str, code: str) -> None:
        self._process = subprocess.Popen(
            [php, *PHP_SETTINGS, "-r", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )

    def __call__(self, data: bytes) -> Params | None:
        stdin, stdout = self._process.stdin, self._process.stdout
        assert stdin is not None
        assert stdout is not None
        stdin.write(base64.b64encode(data) + b"\n")
        stdin.flush()
        return from_php(json.loads(stdout.readline()))

    def close(self) -> None:
        stdin, stdout = self._process.stdin, self._process.stdout
        assert stdin is not None
        assert stdout is not None
        stdin.close()
        self._process.wait(timeout=10)
        stdout.close()


class Server:
    """One ``php -S`` on a free port; ``post`` sends a request, returns $_POST, $_REQUEST."""

    def __init__(self, php: str, root: Path) -> None:
        (root / "router.php").write_text(ROUTER)
        self._log = (root / "server.log").open("wb")
        self._process = subprocess.Popen(
            [php, *PHP_SETTINGS, "-S", "127.0.0.1:0", "router.php"],
            cwd=root,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 10
        while (
            started := re.search(rb"127\.0\.0\.1:(\d+)", (root / "server.log").read_bytes())
        ) is None:
            if time.monotonic() > deadline or self._process.poll() is not None:
                self.close()
                pytest.fail("php -S did not start")
            time.sleep(0.02)
        self._connection = http.client.HTTPConnection("127.0.0.1", int(started[1]), timeout=10)

    def post(
        self, body: bytes, content_type: str, query: bytes = b""
    ) -> tuple[Params | None, Params | None]:
        path = "/router.php" + ("?" + query.decode("latin-1") if query else "")
        self._connection.request("POST", path, body=body, headers={"Content-Type": content_type})
        answer = json.loads(self._connection.getresponse().read())
        return from_php(answer["post"]), from_php(answer["request"])

    def close(self) -> None:
        if hasattr(self, "_connection"):
            self._connection.close()
        self._process.terminate()
        self._process.wait(timeout=10)
        self._log.close()


@pytest.fixture(scope="module")
def php_parse_str() -> Iterator[PhpLines]:
    assert PHP is not None
    oracle = PhpLines(PHP, PARSE_STR)
    yield oracle
    oracle.close()


@pytest.fixture(scope="module")
def php_json_decode() -> Iterator[PhpLines]:
    assert PHP is not None
    oracle = PhpLines(PHP, JSON_DECODE)
    yield oracle
    oracle.close()


@pytest.fixture(scope="module")
def php_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    assert PHP is not None
    server = Server(PHP, tmp_path_factory.mktemp("php"))
    yield server
    server.close()


# Pieces of nasty names and values: brackets, dots, spaces, escapes, limits, forged prefixes.
PIECES = [
    b"a", b"b", b"0", b"1", b"-", b"[", b"]", b"[]", b"[x]", b"[ ]", b"[ x]", b"[\t]", b".",
    b" ", b"+", b"%", b"%5B", b"%5D", b"%20", b"%2", b"%zz", b"%25", b"=", b"&", b"&&", b"%26",
    b"%3D", b"%00", b"\x00", b"\xff", b"\xc3\xa9", b"%C3", b"%A9", b"__Host-", b"__Secure-",
    b"_", b"9223372036854775807", b"-5", b"05", b"-0", b"\t", b"\r\n",
]  # fmt: skip
nasty = st.lists(st.sampled_from(PIECES), max_size=40).map(b"".join)
deep = st.builds(
    lambda base, depth, tail: base + b"[k]" * depth + tail,
    st.sampled_from([b"a", b"b", b" c.d"]),
    st.sampled_from([0, 1, 63, 64, 65, 70]),
    st.sampled_from([b"=1", b"[]=2", b"[y=3", b"=4&a=5"]),
)
forms = nasty | st.lists(nasty | deep, min_size=1, max_size=6).map(b"&".join)


@settings(max_examples=1000, deadline=None)
@given(forms)
def test_parse_str_matches_php(php_parse_str: PhpLines, data: bytes) -> None:
    expected = php_parse_str(data)
    assume(expected is not None)
    assert parse_str(data).params == expected


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(PIECES), max_size=20).map(b"".join),
    forms,
)
def test_post_and_request_match_php(php_server: Server, query: bytes, body: bytes) -> None:
    query = re.sub(rb"[\x00-\x20\x7f-\xff#]", lambda m: b"%%%02X" % m[0][0], query)
    post, request = php_server.post(body, "application/x-www-form-urlencoded", query)
    assume(post is not None and request is not None)
    decoded = decode_body(body, "application/x-www-form-urlencoded")
    assert decoded.params == post
    assert merge_request(parse_str(query), decoded).params == request


HEADERS = [
    b'Content-Disposition: form-data; name="%s"',
    b"content-disposition:form-data;name=%s",
    b"Content-Disposition: form-data; name='%s'; filename=\"f.txt\"",
    b"Content-Disposition: form-data",
    b"X-Other: 1",
    b'Content-Disposition: form-data;\r\n name="%s"',
    b'Content-Disposition: form-data; name = "%s"',
    b'Content-Disposition: form-data; name="a\\\\b\\"c" ; name="%s"',
    b'Content-Type: text/plain\r\nContent-Disposition: form-data; name="%s"',
]
NAMES = [b"a", b"b[]", b"c[x][y]", b"d.e", b" f", b"g[", b"__Host-h", b"", b"a[]", b"i[ ]"]
VALUES = [b"", b"1", b"x y", b"l1\r\nl2", b"\r", b"ends\r", b"--", b"--B", b"\xff", b"v\n--B"]
ENDINGS = [b"--B--\r\n", b"--B--", b"--B", b"", b"--B--\r\n--B\r\nX: 1\r\n\r\n"]
MUTATIONS = [
    b"\x00",
    b"\r\n:",
    b"\r",
    b"\n",
    b'"',
    b"'",
    b"\\",
    b";",
    b"=",
    b" ",
    b"--B",
    b":",
    b"\t",
]


@st.composite
def multipart_bodies(draw: st.DrawFn) -> bytes:
    newline = draw(st.sampled_from([b"\r\n", b"\n"]))
    body = draw(st.sampled_from([b"", b"preamble" + newline]))
    for _ in range(draw(st.integers(0, 5))):
        header = draw(st.sampled_from(HEADERS)).replace(b"%s", draw(st.sampled_from(NAMES)))
        value = draw(st.sampled_from(VALUES))
        body += b"--B" + newline + header.replace(b"\r\n", newline) + newline * 2 + value + newline
    body += draw(st.sampled_from(ENDINGS))
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(body)))
        body = body[:at] + draw(st.sampled_from(MUTATIONS)) + body[at:]
    return body


MULTIPART = "multipart/form-data; boundary=B"


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# A header line that starts with ':' is a new (nameless) header, not a continuation of the
# Content-Disposition: the name stays "d.e" (read "d_e"), not "d.e:" (read "d_e:"), and an
# empty name stays empty (no variable), not ":".
@example(b"--B\ncontent-disposition:form-data;name=d.e\n:\n\n1\n--B--", MULTIPART)
@example(b"--B\r\ncontent-disposition:form-data;name=\r\n:\r\n\r\n1\r\n--B--", MULTIPART)
@given(
    multipart_bodies(),
    st.sampled_from(
        [
            "multipart/form-data; boundary=B",
            'multipart/form-data; boundary="B"',
            "multipart/form-data; charset=UTF-8; BOUNDARY=B",
            "multipart/form-data; boundary=B,x",
        ]
    ),
)
def test_multipart_matches_php(php_server: Server, body: bytes, content_type: str) -> None:
    assume(body)
    post, _ = php_server.post(body, content_type)
    assume(post is not None)
    assert decode_body(body, content_type).params == post


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.from_regex(r"[a-z]{1,3}", fullmatch=True), st.text(max_size=5)))
def test_cleanly_encoded_forms_match_php(php_server: Server, flat: dict[str, str]) -> None:
    assume("kartra-boundary" not in "".join(flat.values()))
    params: Params = {"lead": dict(flat), "app_id": "x"}
    for body, content_type in [
        (encoders.http_build_query(params), "application/x-www-form-urlencoded"),
        encoders.multipart_form(params, "kartra-boundary"),
    ]:
        assert php_server.post(body, content_type)[0] == decode_body(body, content_type).params


json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(st.characters(blacklist_categories=["Cs"]), max_size=8)
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=3), children, max_size=3)
    ),
    max_leaves=10,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(max_size=4), json_values, max_size=4))
def test_json_matches_php(php_json_decode: PhpLines, document: dict[str, object]) -> None:
    body = json.dumps(document).encode()
    expected = php_json_decode(body)
    assume(expected is not None)
    assert decode_json(body).params == expected
