"""The lead profile's rules: which values the documented fields take.

The fields and time zones themselves are documented facts, in
:mod:`kartra_mock.protocol.facts` (docs/behaviour.md#lead-fields).
"""

from __future__ import annotations

import re

__all__ = ["is_number"]

_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def is_number(value: str) -> bool:
    """Whether a form value reads as a number (business_type is documented as one)."""
    return _NUMBER.fullmatch(value) is not None
