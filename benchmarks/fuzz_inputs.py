"""Hostile requests for the fuzz run: one per case number, reproducible from (seed, number).

Bodies PHP and Kartra clients send, bent out of shape: deep bracket nesting, huge keys and
numbers, invalid UTF-8 and percent-escapes, broken multipart, JSON oddities (NaN, 1e999,
thousands of digits, deep arrays, lone surrogates), random routes, methods and headers, and
control-plane calls (state documents, faults, journal, reset).

Example::

    request = generate(seed=1, number=42)
    request.wire()  # the bytes put on the socket
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from urllib.parse import quote, quote_from_bytes

__all__ = ["FAULT_SCOPE", "HUGE_EVERY", "KINDS", "FuzzRequest", "generate"]

#: Faults the fuzz schedules only touch this account, which no generated /api call uses:
#: an injected 5xx, latency or drop can never be mistaken for a defect.
FAULT_SCOPE = "fuzz-fault-scope"

_COMMANDS = (
    "create_lead", "edit_lead", "search_lead", "assign_tag", "unassign_tag",
    "subscribe_lead_to_list", "unsubscribe_lead_from_list", "give_points_to_lead",
    "subscribe_lead_to_sequence", "unsubscribe_lead_from_sequence", "subscribe_lead_to_calendar",
    "retrieve_account_tags", "retrieve_account_lists", "retrieve_custom_fields",
    "create_custom_field", "cancel_subscription", "refund_transaction", "nonsense",
)  # fmt: skip
_FIELDS = (
    "email", "new_email", "id", "first_name", "phone", "lead_preferred_time_zone",
    "business_type", "custom_fields", "tag_name", "list_name", "points", "expiration",
    "sequence_name", "step_id", "calendar_name", "class_name", "transaction_id", "amount",
)  # fmt: skip
_NUMBERS = (
    "0", "-1", "1", "612", "620", "1e308", "1e999", "-0", "0x10", "9" * 19, "9" * 400,
    "9" * 4400, "1.5", "NaN", "", " 7", "٣", "3000000", "-99999999999999999999",
)  # fmt: skip
_PATHS = (
    "/api", "/api/", "/api//", "/API", "/api?x", "/_mock/health", "/_mock/reset",
    "/_mock/state", "/_mock/requests", "/_mock/faults", "/_mock/faults/1",
    "/_mock/faults/" + "9" * 5000, "/_mock/snapshot", "/_mock/openapi.json", "/_mock/",
    "/_mock/inspector.js", "/_mock/accounts/demo-key/leads/1/delete",
    "/_mock/accounts/%00/leads/" + "9" * 30 + "/delete", "/", "/%2e%2e/%2e%2e/etc/passwd",
    "/api/%ff", "/" + "a" * 6000, "/_mock/requests?since=" + "9" * 5000,
    "/_mock/requests?since=-1&api_key=%ff", "/_mock/reset?api_key=demo-key",
)  # fmt: skip
_METHODS = ("POST", "GET", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "FOO", "TRACE")
_CONTENT_TYPES = (
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=ISO-8859-1",
    "multipart/form-data; boundary=XyZ",
    "multipart/form-data",
    "multipart/form-data; boundary=",
    "application/json",
    "application/json; charset=utf-16",
    "text/plain",
    "",
    "multipart/form-data; boundary=" + "b" * 300,
)

#: One case in this many is a huge body: over PHP's 8 MiB post_max_size, or over 64 MiB.
HUGE_EVERY = 5000

#: The kinds of case, in the proportions they are drawn.
#: Only ``http`` cases are malformed HTTP; every other case is a well-formed request.
KINDS = {"form": 30, "json": 20, "multipart": 12, "raw": 8, "route": 15, "control": 15, "http": 3}


@dataclass(frozen=True, slots=True)
class FuzzRequest:
    """One request: what is sent, and what kind of case it came from."""

    kind: str
    method: str
    target: str
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def wire(self) -> bytes:
        """The HTTP/1.1 request bytes (the connection closes after the answer)."""
        names = {name.lower() for name, _ in self.headers}
        lines = [f"{self.method} {self.target} HTTP/1.1", "Host: 127.0.0.1"]
        lines += [f"{name}: {value}" for name, value in self.headers]
        if "content-length" not in names and "transfer-encoding" not in names:
            lines.append(f"Content-Length: {len(self.body)}")
        lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")
        return head + self.body


def _text(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.5:
        return rng.choice(("ada@example.com", "John@kartra.com", "demo-key", "x", "", "Customer"))
    if roll < 0.7:
        return rng.choice(_NUMBERS)
    if roll < 0.85:
        return "".join(chr(rng.randrange(0, 0x3000)) for _ in range(rng.randrange(1, 40)))
    return rng.choice(("a", "\x00", "%", "[", "]")) * rng.choice((100, 5000, 70000))


def _key(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.6:
        return rng.choice(("lead", "actions", "get_lead", "app_id", "api_key", "api_password"))
    if roll < 0.8:
        return rng.choice(_FIELDS)
    return rng.choice(("", "a.b", "a b", "[", "]]", "%5B", "x" * 100_000, "\u00e9"))


def _form_pairs(rng: random.Random) -> list[tuple[bytes, bytes]]:
    pairs = [(b"app_id", b"demo-app"), (b"api_key", f"fuzz-{rng.randrange(50)}".encode())]
    pairs.append((b"api_password", b"pw"))
    for i in range(rng.randrange(1, 4)):
        pairs.append((f"actions[{i}][cmd]".encode(), rng.choice(_COMMANDS).encode()))
    for _ in range(rng.randrange(0, 12)):
        depth = rng.choice((1, 2, 3, 3, 63, 64, 65, 200))
        # A repeated segment keeps deep paths cheap to build; the first few vary.
        head = "".join(f"[{rng.choice((_key(rng)[:20], str(rng.randrange(9)), ''))}]"
                       for _ in range(min(depth - 1, 3)))  # fmt: skip
        path = head + f"[{rng.randrange(9)}]" * max(0, depth - 4)
        name = rng.choice(("lead", "actions", "get_lead", _key(rng)))
        pairs.append(((name + path).encode(), _text(rng).encode("utf-8", "surrogatepass")))
    if rng.random() < 0.2:
        pairs.append((b"lead[custom_fields][0][field_identifier]", b"dropdown1"))
        pairs.append((b"lead[custom_fields][0][field_value]", rng.choice(_NUMBERS).encode()))
    return pairs


def _form(rng: random.Random) -> bytes:
    pairs = _form_pairs(rng)
    rng.shuffle(pairs)
    parts = []
    for key, value in pairs:
        if rng.random() < 0.1:
            value += bytes([rng.randrange(0x80, 0x100)])  # invalid UTF-8
        # (Quoting is slow on huge values: those go raw.)
        quoted = len(value) < 4096 and rng.random() < 0.8
        escaped = quote_from_bytes(value) if quoted else value.decode("latin-1")
        raw_key = (
            key.decode("latin-1")
            if len(key) > 4096 or rng.random() < 0.7
            else quote_from_bytes(key)
        )
        parts.append(f"{raw_key}={escaped}")
    if rng.random() < 0.1:  # around PHP's max_input_vars (1000)
        parts += [f"v{i}=1" for i in range(rng.choice((999, 1001, 3000)))]
    body = "&".join(parts)
    if rng.random() < 0.1:
        body += rng.choice(("%", "%g", "%ZZ&&&=", "=&=", "&" * 1000, "+%2B+"))
    return body.encode("latin-1", "replace")


def _json_value(rng: random.Random, depth: int = 0) -> object:
    roll = rng.random()
    if depth > 4 or roll < 0.4:
        return rng.choice((_text(rng), 0, -1, 2**70, 1.5, True, None, [], {}))
    if roll < 0.7:
        return {_key(rng)[:30]: _json_value(rng, depth + 1) for _ in range(rng.randrange(4))}
    return [_json_value(rng, depth + 1) for _ in range(rng.randrange(4))]


def _json(rng: random.Random) -> bytes:
    call: dict[str, object] = {"app_id": "demo-app", "api_key": f"fuzz-{rng.randrange(50)}"}
    call["lead"] = rng.choice(
        ({"email": _text(rng)}, [{"email": "a@b.c", "id": _json_value(rng)}], _json_value(rng))
    )
    call["actions"] = [{"cmd": rng.choice(_COMMANDS), _key(rng): _json_value(rng)}]
    text = json.dumps(call, ensure_ascii=rng.random() < 0.5)
    odd = rng.random()
    if odd < 0.1:
        text = text.replace('"demo-app"', rng.choice(("NaN", "Infinity", "1e999", "-0")))
    elif odd < 0.2:
        text = "[" * rng.choice((100, 1000, 100_000)) + "]" * rng.choice((0, 100, 100_000))
    elif odd < 0.3:
        text = text[: rng.randrange(len(text))]
    elif odd < 0.4:
        text = '{"api_key": 1' + "0" * rng.choice((4000, 4400, 50_000)) + "}"
    elif odd < 0.5:
        text = text.replace("demo-app", "\\ud800\\udfff\\ud800")
    elif odd < 0.55:
        return b"\xef\xbb\xbf" + text.encode() + b"\xff\xfe"
    elif odd < 0.6:
        text = rng.choice(("null", '"x"', "1", "[]", "", "{}" * 10, '{"a":1,"a":2}'))
    return text.encode("utf-8", "surrogatepass")


def _multipart(rng: random.Random, boundary: str = "XyZ") -> bytes:
    chunks = []
    for key, value in _form_pairs(rng)[: rng.randrange(1, 30)]:
        disposition = f'form-data; name="{key.decode("latin-1")}"'
        if rng.random() < 0.1:
            disposition += '; filename="a.txt"'
        if rng.random() < 0.05:
            disposition = rng.choice(("form-data", "", "form-data; name=", "x" * 9000))
        chunks.append(
            f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n".encode(
                "latin-1", "replace"
            )
            + value
            + b"\r\n"
        )
    tail = rng.choice((f"--{boundary}--\r\n", f"--{boundary}", "", "--other--\r\n"))
    return b"".join(chunks) + tail.encode()


def _raw(rng: random.Random) -> bytes:
    return rng.randbytes(rng.choice((0, 1, 17, 1000, 70_000)))


def _control(rng: random.Random) -> tuple[str, str, bytes]:
    roll = rng.random()
    if roll < 0.35:
        fault: object = _json_value(rng)
        if rng.random() < 0.8:
            fault = {
                "kind": rng.choice(("drop", "latency", "server_error", "kartra_error", "x")),
                "latency_ms": rng.choice((1, 0, -1, 1e9, "5", None)),
                rng.choice(("type", "status", "times", "probability", "seed", "message")):
                    rng.choice((500, "245", 2**80, 0.5, None, "", -1, 1e999)),
            }  # fmt: skip
        if isinstance(fault, dict):
            fault["api_key"] = FAULT_SCOPE  # never hits a fuzzed /api call
        return "POST", "/_mock/faults", json.dumps(fault).encode()
    if roll < 0.6:
        document: object = {
            "accounts": [
                {
                    "api_key": "fuzz-state",
                    rng.choice(("leads", "tags", "custom_fields", "next_id", "x")): _json_value(
                        rng
                    ),
                }
            ],
            rng.choice(("auth", "settings", "apps", "template", "y")): _json_value(rng),
        }
        return "PUT", "/_mock/state", json.dumps(document).encode()
    if roll < 0.75:
        return "DELETE", rng.choice(("/_mock/requests", "/_mock/faults")), b""
    if roll < 0.85:
        return "GET", "/_mock/requests?since=" + rng.choice(_NUMBERS), b""
    if roll < 0.95:
        return "GET", rng.choice(("/_mock/state", "/_mock/faults", "/_mock/health")), b""
    return "POST", "/_mock/reset" + rng.choice(("", "?api_key=fuzz-1")), b""


def generate(seed: int, number: int) -> FuzzRequest:
    """Case ``number`` of the run with ``seed``: always the same request for the same pair."""
    rng = random.Random(seed * 1_000_003 + number)
    if number % HUGE_EVERY == HUGE_EVERY - 1:
        huge = (65 if number % (4 * HUGE_EVERY) == HUGE_EVERY - 1 else 9) * 2**20
        body = b"app_id=demo-app&api_key=fuzz-1&lead[first_name]=" + b"A" * huge
        form = (("Content-Type", "application/x-www-form-urlencoded"),)
        return FuzzRequest("huge", "POST", "/api", form, body)
    kind = rng.choices(list(KINDS), weights=list(KINDS.values()))[0]
    query = "" if rng.random() < 0.8 else "?" + quote(_form(rng)[:2000], safe="=&[]%+")
    if kind == "http":
        return _malformed(rng)
    if kind == "control":
        method, target, body = _control(rng)
        return FuzzRequest(kind, method, target, (("Content-Type", "application/json"),), body)
    if kind == "route":
        method, target = rng.choice(_METHODS), rng.choice(_PATHS)
        body = _form(rng) if rng.random() < 0.5 else b""
        headers: tuple[tuple[str, str], ...] = (("Content-Type", rng.choice(_CONTENT_TYPES)),)
        if rng.random() < 0.3:
            name = rng.choice(("X-Admin-Token", "Authorization", "X-" + "h" * 5000))
            raw = _text(rng)[:200].encode("utf-8", "replace").decode("latin-1")
            # Any byte a header value may hold (HTTP's field-vchar, obs-text and space).
            value = "".join(c for c in raw if " " <= c <= "~" or c >= "\x80").strip()
            headers += ((name, value),)
        return FuzzRequest(kind, method, target + query, headers, body)
    target = rng.choice(("/api", "/api/")) + query
    if kind == "form":
        body, content_type = _form(rng), rng.choice(_CONTENT_TYPES[:2])
    elif kind == "json":
        body, content_type = _json(rng), rng.choice(_CONTENT_TYPES[5:7])
    elif kind == "multipart":
        content_type = rng.choice(_CONTENT_TYPES[2:5] + _CONTENT_TYPES[-1:])
        boundary = content_type.partition("boundary=")[2] or "XyZ"
        body = _multipart(rng, boundary if rng.random() < 0.9 else "wrong")
    else:
        body, content_type = _raw(rng), rng.choice(_CONTENT_TYPES)
    headers = (("Content-Type", content_type),) if content_type else ()
    if rng.random() < 0.03:
        body = f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n"
        headers += (("Transfer-Encoding", "chunked"),)
    return FuzzRequest(kind, "POST", target, headers, body)


def _malformed(rng: random.Random) -> FuzzRequest:
    """Broken HTTP: the server may answer 400 or close; it must neither fail nor hang."""
    body = _form(rng)
    form = ("Content-Type", "application/x-www-form-urlencoded")
    broken = rng.choice(
        (
            ("POST", "/api", (form, ("Transfer-Encoding", "chunked")), b"zz\r\n" + body),
            ("POST", "/api", (form, ("Content-Length", "abc")), body),
            ("POST", "/api", (form, ("Content-Length", "-5")), body),
            ("POST", "/api", (form, ("Content-Length", "1")), body),
            ("POST", "/api?\xe9 x#y", (form,), body),
            ("POST", "/api", (form, ("Bad Header", "x")), body),
            ("POST", "/api", (("Content-Type", "text/plain\x7f\x00"),), body),
            ("G\x00T", "/api", (), b""),
            ("POST", "/api", (form, ("X-Big", "v" * 100_000)), body),
        )
    )
    return FuzzRequest("http", *broken)
