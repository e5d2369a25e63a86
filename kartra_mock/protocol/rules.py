"""The catalogue of contract rules: departures from documented usage that Kartra still accepts.

A request that breaks one of these rules is answered as Kartra would answer it, and its journal
entry carries a :class:`ContractWarning` naming the rule and where the rule comes from: a section
of docs/behaviour.md (see docs/contracts.md#contract-warnings).
Every rule is tagged with how we know it: ``documented`` (a Kartra page says so), ``observed``
(real clients rely on it) or ``inferred`` (our decision where Kartra is silent).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from kartra_mock.protocol.facts import Source

__all__ = [
    "RULES",
    "RULE_IDS",
    "ContractWarning",
    "Rule",
    "UnknownRuleError",
    "accept",
    "check_rule_ids",
]


@dataclass(frozen=True, slots=True)
class ContractWarning:
    """One departure from documented usage, found in one request."""

    rule: str
    detail: str
    source: Source
    reference: str
    #: The user chose to accept this rule (``--accept-rule``): still reported, marked as such.
    accepted: bool = False

    def to_json(self) -> dict[str, object]:
        """The journal's JSON form of this warning."""
        return {
            "rule": self.rule,
            "detail": self.detail,
            "source": self.source.value,
            "reference": self.reference,
            "accepted": self.accepted,
        }


@dataclass(frozen=True, slots=True)
class Rule:
    """A documented usage rule that the mock checks on every request."""

    id: str
    summary: str
    source: Source
    reference: str

    def warn(self, detail: str) -> ContractWarning:
        """A warning for this rule, with what exactly the request did."""
        return ContractWarning(self.id, detail, self.source, self.reference)


def _rule(id: str, summary: str, source: Source, reference: str) -> Rule:
    return Rule(id, summary, source, reference)


_D, _O, _I = Source.DOCUMENTED, Source.OBSERVED, Source.INFERRED

JSON_BODY = _rule(
    "wire.json-body",
    "Kartra documents form-encoded bodies (PHP http_build_query); JSON is not documented",
    _O,
    "docs/behaviour.md#wire",
)
QUERY_STRING_PARAMS = _rule(
    "wire.query-string",
    "Kartra documents parameters as POST fields; values in the query string are not documented",
    _O,
    "docs/behaviour.md#wire",
)
LEAD_AS_LIST = _rule(
    "wire.lead-as-list",
    "'lead' must be a map; a one-element list of maps is read as that map",
    _O,
    "docs/behaviour.md#wire (advanced-form-integration 1.126.3)",
)
UNSUPPORTED_CONTENT_TYPE = _rule(
    "wire.content-type",
    "the body's Content-Type is not one PHP decodes into $_POST; the body was ignored",
    _I,
    "docs/behaviour.md#wire",
)
INVALID_JSON = _rule(
    "wire.invalid-json",
    "the JSON body could not be decoded (or is not an object) and was ignored",
    _I,
    "docs/behaviour.md#wire",
)
BODY_TOO_LARGE = _rule(
    "wire.post-max-size",
    "the body is larger than PHP's post_max_size (8 MiB) and was dropped whole",
    _I,
    "docs/behaviour.md#wire (PHP post_max_size)",
)
TOO_MANY_VARS = _rule(
    "wire.max-input-vars",
    "more than PHP's max_input_vars (1000) variables; the rest were dropped",
    _I,
    "docs/behaviour.md#wire (PHP max_input_vars)",
)
NESTING_TOO_DEEP = _rule(
    "wire.max-input-nesting-level",
    "a variable nested deeper than 64 levels; PHP drops its whole top-level variable",
    _I,
    "docs/behaviour.md#wire (PHP max_input_nesting_level)",
)
INVALID_UTF8 = _rule(
    "wire.invalid-utf8",
    "a name or value is not valid UTF-8; invalid bytes read as U+FFFD",
    _I,
    "docs/behaviour.md#wire",
)
INVALID_PERCENT_ENCODING = _rule(
    "wire.invalid-percent-encoding",
    "a '%' not followed by two hex digits; kept literally, as PHP's urldecode does",
    _I,
    "docs/behaviour.md#wire",
)
MANGLED_NAME = _rule(
    "wire.mangled-name",
    "a name with '.', ' ' or an unclosed '['; PHP rewrites those characters to '_'",
    _I,
    "docs/behaviour.md#wire (PHP parse_str)",
)
FILE_UPLOAD = _rule(
    "wire.file-upload",
    "a multipart file part; Kartra reads no files, it was ignored",
    _I,
    "docs/behaviour.md#wire",
)
INVALID_MULTIPART = _rule(
    "wire.invalid-multipart",
    "the multipart/form-data body is malformed; the fields read before the fault were kept",
    _I,
    "docs/behaviour.md#wire (PHP main/rfc1867.c)",
)
UNKNOWN_PARAMETER = _rule(
    "request.unknown-parameter",
    "a parameter Kartra does not document; it was ignored",
    _D,
    "docs/behaviour.md#wire",
)
UNKNOWN_LEAD_FIELD = _rule(
    "lead.unknown-field",
    "a lead field Kartra does not document; it was ignored",
    _D,
    "docs/behaviour.md#lead-fields",
)
UNKNOWN_CUSTOM_FIELD = _rule(
    "lead.unknown-custom-field",
    "a custom field identifier that the account does not have; the entry was ignored",
    _D,
    "docs/behaviour.md#custom-fields",
)
INVALID_TIME_ZONE = _rule(
    "lead.invalid-time-zone",
    "lead_preferred_time_zone is not one of the 76 documented options; it was not stored",
    _I,
    "docs/behaviour.md#lead_preferred_time_zone",
)
NON_NUMERIC_BUSINESS_TYPE = _rule(
    "lead.business-type-not-a-number",
    "business_type is documented as a number; it was not stored",
    _I,
    "docs/behaviour.md#business_type",
)
NOT_A_STRING = _rule(
    "lead.field-not-a-string",
    "a lead field documented as a string was sent as an array; it was not stored",
    _I,
    "docs/behaviour.md#lead-fields",
)
EMAIL_IGNORED_ON_EDIT = _rule(
    "lead.email-only-identifies",
    "lead[email] only identifies the lead; change the address with lead[new_email]",
    _D,
    "docs/behaviour.md#email",
)
NEW_EMAIL_OUTSIDE_EDIT = _rule(
    "lead.new-email-outside-edit",
    "lead[new_email] only has an effect on edit_lead",
    _D,
    "docs/behaviour.md#edit_lead",
)
GET_LEAD_WITH_ACTIONS = _rule(
    "request.get-lead-with-actions",
    "a call with both get_lead and actions; Kartra documents them as separate calls",
    _I,
    "docs/behaviour.md#get_lead",
)

RULES: tuple[Rule, ...] = (
    JSON_BODY,
    QUERY_STRING_PARAMS,
    LEAD_AS_LIST,
    UNSUPPORTED_CONTENT_TYPE,
    INVALID_JSON,
    BODY_TOO_LARGE,
    TOO_MANY_VARS,
    NESTING_TOO_DEEP,
    INVALID_UTF8,
    INVALID_PERCENT_ENCODING,
    MANGLED_NAME,
    FILE_UPLOAD,
    INVALID_MULTIPART,
    UNKNOWN_PARAMETER,
    UNKNOWN_LEAD_FIELD,
    UNKNOWN_CUSTOM_FIELD,
    INVALID_TIME_ZONE,
    NON_NUMERIC_BUSINESS_TYPE,
    NOT_A_STRING,
    EMAIL_IGNORED_ON_EDIT,
    NEW_EMAIL_OUTSIDE_EDIT,
    GET_LEAD_WITH_ACTIONS,
)

#: Every rule id, in catalogue order.
RULE_IDS: tuple[str, ...] = tuple(rule.id for rule in RULES)


class UnknownRuleError(ValueError):
    """A rule to accept that the catalogue does not have; the message lists the valid ids."""

    def __init__(self, unknown: Iterable[str]) -> None:
        names = ", ".join(repr(name) for name in unknown)
        super().__init__(f"unknown contract rule {names}; the rules are: {', '.join(RULE_IDS)}")


def check_rule_ids(names: Iterable[str]) -> frozenset[str]:
    """The rule ids to accept, checked against the catalogue (:class:`UnknownRuleError`)."""
    chosen = frozenset(names)
    unknown = sorted(chosen - frozenset(RULE_IDS))
    if unknown:
        raise UnknownRuleError(unknown)
    return chosen


def accept(
    warnings: Iterable[ContractWarning], accepted: frozenset[str]
) -> tuple[ContractWarning, ...]:
    """The warnings, those of an accepted rule marked ``accepted`` (never dropped)."""
    return tuple(
        replace(warning, accepted=True) if warning.rule in accepted else warning
        for warning in warnings
    )
