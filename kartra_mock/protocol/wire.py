"""Kartra's side of the wire: how answers are encoded and how JSON requests are normalised."""

from __future__ import annotations

import json
from collections.abc import Mapping

from kartra_mock.protocol import rules
from kartra_mock.protocol.forms import PhpValue
from kartra_mock.protocol.rules import ContractWarning

__all__ = ["CONTENT_TYPES", "encode_json", "unwrap_lead_list"]

#: The response Content-Type per setting: real Kartra serves JSON as text/html (observed).
CONTENT_TYPES: Mapping[str, str] = {
    "text/html": "text/html; charset=UTF-8",
    "application/json": "application/json",
}


# One encoder for every answer: json.dumps would build a new one per call (benchmarks/).
_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=True)


def encode_json(body: Mapping[str, object]) -> bytes:
    """JSON as PHP's ``json_encode`` writes it by default: compact, ``\\uXXXX``, ``\\/``."""
    return _ENCODER.encode(body).replace("/", "\\/").encode()


def unwrap_lead_list(
    params: dict[str, PhpValue],
) -> tuple[dict[str, PhpValue], tuple[ContractWarning, ...]]:
    """Read a JSON ``"lead": [{...}]`` as ``"lead": {...}`` (observed, docs/behaviour.md#wire)."""
    lead = params.get("lead")
    if isinstance(lead, dict) and list(lead) == ["0"] and isinstance(lead["0"], dict):
        return {**params, "lead": lead["0"]}, (
            rules.LEAD_AS_LIST.warn("'lead' was a one-element list"),
        )
    return params, ()
