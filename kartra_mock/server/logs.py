"""One log line per ``/api`` call, on the ``kartra_mock.api`` logger, as text or JSON.

A line names the commands, the result (``Success``/``Error`` and every error ``type`` in the
answer), the HTTP status, the time taken and any injected fault. It never carries the
``api_password`` or the lead data, and shows only the first four characters of the ``api_key``
(a CI log is often public; the journal on ``/_mock/requests`` has the full key).

At DEBUG a second line follows with the decoded parameters (password redacted, key masked,
long values cut) and where the time went: reading the body, decoding it, handling the call,
encoding the answer. That line does carry lead data.

Every field a client chose is escaped: control characters (newlines, ANSI escapes, ...) are
written as ``\\xNN``/``\\uNNNN``, so no client can forge or colour a log line, in text or JSON.

Example lines::

    POST /api 200 Success create_lead,assign_tag app=demo-app key=demo… 1.2ms
    params={"app_id":"demo-app",...} read=0.01ms decode=0.05ms handle=0.3ms encode=0.02ms
    {"time": "...", "level": "INFO", "logger": "kartra_mock.api", "commands": [...], ...}
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from kartra_mock.engine.journal import redact
from kartra_mock.engine.outcome import Reply, Timings
from kartra_mock.protocol.forms import PhpValue

__all__ = [
    "API_LOGGER",
    "CallLog",
    "JsonFormatter",
    "TextFormatter",
    "Timings",
    "escape",
    "log_call",
    "mask",
]

API_LOGGER = "kartra_mock.api"
_EXTRA = "kartra_call"
#: The most of the decoded parameters one DEBUG line shows.
MAX_PARAMS_SHOWN = 2000

logger = logging.getLogger(API_LOGGER)

# C0 and C1 controls and DEL, the Unicode line and paragraph separators (Python's splitlines
# and many log viewers break lines there) and the bidirectional overrides (which reorder what
# a reader sees).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape(text: str) -> str:
    """``text`` with every control character written as an escape: one line, no colours."""
    return text if _CONTROL.search(text) is None else _CONTROL.sub(_escaped, text)


def mask(api_key: str) -> str:
    """At most the first four characters of a key, and ``…`` if anything was hidden."""
    return api_key if len(api_key) <= 4 else api_key[:4] + "…"


def _text(params: Mapping[str, PhpValue], key: str) -> str:
    value = params.get(key, "")
    return value if isinstance(value, str) else ""


@dataclass(frozen=True, slots=True)
class CallLog:
    """What the log says about one call."""

    method: str
    path: str
    status: int
    result: str
    commands: list[str]
    error_types: list[str]
    app_id: str
    api_key: str
    latency_ms: float
    warnings: int
    fault: str | None

    @classmethod
    def of(
        cls, method: str, path: str, params: Mapping[str, PhpValue], reply: Reply, seconds: float
    ) -> CallLog:
        """The log record of a call, from what it sent and its outcome (fields escaped)."""
        hit = reply.fault
        result = reply.result
        return cls(
            method=escape(method),
            path=escape(path),
            status=reply.status_code,
            result="-" if result is None else escape(result),
            commands=[escape(command) for command in reply.commands],
            error_types=[escape(type_code) for type_code, _ in reply.errors],
            app_id=escape(_text(params, "app_id")),
            api_key=escape(mask(_text(params, "api_key"))),
            latency_ms=round(seconds * 1000, 3),
            warnings=len(reply.warnings),
            fault=None if hit is None else f"{hit.fault.kind.value}#{hit.id}",
        )

    def text(self) -> str:
        """The line in text format."""
        parts = [self.method, self.path, str(self.status), self.result]
        parts.append(",".join(self.commands) or "-")
        if self.error_types:
            parts.append("errors=" + ",".join(self.error_types))
        parts += [f"app={self.app_id}", f"key={self.api_key}", f"{self.latency_ms}ms"]
        if self.warnings:
            parts.append(f"warnings={self.warnings}")
        if self.fault:
            parts.append(f"fault={self.fault}")
        return " ".join(parts)


def shown_params(params: Mapping[str, PhpValue]) -> str:
    """The decoded parameters as one escaped JSON text: password redacted, key masked, cut."""
    shown = redact(params)
    if isinstance(shown.get("api_key"), str):
        shown["api_key"] = mask(_text(shown, "api_key"))
    text = escape(json.dumps(shown, ensure_ascii=False, separators=(",", ":")))
    if len(text) > MAX_PARAMS_SHOWN:
        cut = len(text) - MAX_PARAMS_SHOWN
        text = f"{text[:MAX_PARAMS_SHOWN]}…[{cut} more characters]"
    return text


def log_call(
    method: str,
    path: str,
    params: Mapping[str, PhpValue],
    reply: Reply,
    timings: Timings,
) -> None:
    """Log one ``/api`` call at INFO, and its parameters and timings at DEBUG.

    Nothing is built when the level is off.
    """
    if not logger.isEnabledFor(logging.INFO):
        return
    record = CallLog.of(method, path, params, reply, timings.total)
    logger.info(record.text(), extra={_EXTRA: asdict(record)})
    if logger.isEnabledFor(logging.DEBUG):
        shown = shown_params(params)
        steps = timings.to_ms()
        line = " ".join([f"params={shown}", *(f"{name}={ms}ms" for name, ms in steps.items())])
        logger.debug(line, extra={_EXTRA: {"params": shown, "timings_ms": steps}})


class TextFormatter(logging.Formatter):
    """The text format with every message escaped: one record, one line (tracebacks aside)."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        """The message part, escaped."""
        record.message = escape(record.message)
        return super().formatMessage(record)


# What json.dumps(ensure_ascii=False) leaves raw but a reader may take as a line break or an
# escape sequence (C0 controls are escaped by json itself).
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _json_escaped(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and a call's fields."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON."""
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        call = getattr(record, _EXTRA, None)
        if isinstance(call, dict):
            line.update(call)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        text = json.dumps(line, ensure_ascii=False, default=str)
        return _JSON_UNSAFE.sub(_json_escaped, text)
