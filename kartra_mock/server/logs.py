"""One log line per ``/api`` call, on the ``kartra_mock.api`` logger, as text or JSON.

A line names the commands, the result (``Success``/``Error`` and every error ``type`` in the
answer), the HTTP status, the time taken and any injected fault. It never carries the
``api_password`` or the lead data, and shows only the first four characters of the ``api_key``
(a CI log is often public; the journal on ``/_mock/requests`` has the full key).

Example lines::

    POST /api 200 Success create_lead,assign_tag app=demo-app key=demo… 1.2ms
    {"time": "...", "level": "INFO", "logger": "kartra_mock.api", "commands": [...], ...}
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from kartra_mock.engine.backend import Reply
from kartra_mock.protocol.forms import PhpValue
from kartra_mock.testing.report import commands_of, error_types_of

__all__ = ["API_LOGGER", "CallLog", "JsonFormatter", "log_call", "mask"]

API_LOGGER = "kartra_mock.api"
_EXTRA = "kartra_call"

logger = logging.getLogger(API_LOGGER)


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
        """The log record of a call, from what it sent and what it got."""
        hit = reply.fault
        result = reply.body.get("status")
        return cls(
            method=method,
            path=path,
            status=reply.status_code,
            result=result if isinstance(result, str) else "-",
            commands=commands_of(params),
            error_types=[type_code for type_code, _ in error_types_of(reply.body)],
            app_id=_text(params, "app_id"),
            api_key=mask(_text(params, "api_key")),
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


def log_call(
    method: str, path: str, params: Mapping[str, PhpValue], reply: Reply, seconds: float
) -> None:
    """Log one ``/api`` call at INFO (nothing is built when INFO is off)."""
    if logger.isEnabledFor(logging.INFO):
        record = CallLog.of(method, path, params, reply, seconds)
        logger.info(record.text(), extra={_EXTRA: asdict(record)})


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
        return json.dumps(line, ensure_ascii=False, default=str)
