"""Hypothesis strategies for Kartra calls: leads valid and invalid, emails, custom-field values
by type, time zones, tag and list actions, chains.

Every strategy that depends on the account takes its :class:`~contracts.schema.AccountSchema`. They
stay inside what Kartra specifies (documented or decided in docs/behaviour.md) and avoid what it
leaves open, so that a disagreement is a bug and not a guess:

* text never starts or ends with whitespace (whether Kartra trims is not documented) and stays
  in Unicode's basic plane (whether Kartra's database stores 4-byte characters is not either);
* email case variants change ASCII letters only, and Unicode local parts use letters without
  case (how Kartra folds non-ASCII case is not documented);
* ``business_type`` is plain digits or plain letters; option ids are the account's.

Example::

    from hypothesis import given
    @given(emails(), case_variants())
    def test_search_ignores_case(email, case): ...
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum

from hypothesis import strategies as st

from contracts.calls import NAME_PARAMETER, Action, CustomEntry, CustomValue, LeadData
from contracts.schema import PROFILE_FIELDS, TIME_ZONES, AccountSchema, CustomFieldSpec

__all__ = [
    "DOMAINS",
    "INVALID_TIME_ZONES",
    "MISSING_NAME",
    "UNKNOWN_FIELD",
    "UNKNOWN_OPTION",
    "By",
    "Case",
    "ChainPlan",
    "Changes",
    "NewEmail",
    "Who",
    "actions",
    "case_variants",
    "chain_plans",
    "changes",
    "custom_fields",
    "custom_value",
    "emails",
    "field_value",
    "invalid_custom_fields",
    "lead_fields",
    "new_leads",
    "plain_custom_fields",
    "texts",
    "time_zones",
    "valid_custom_fields",
    "whos",
]

#: Domains for generated emails (``verify_server`` replaces them with its own).
DOMAINS: tuple[str, ...] = (
    "example.com",
    "mail.example.org",
    "kartra.com",
    "a-rather-long-subdomain-for-addresses.example.co.uk",
)
#: Time zones that are not among Kartra's 76 options: not stored
#: (docs/behaviour.md#lead_preferred_time_zone).
INVALID_TIME_ZONES: tuple[str, ...] = ("Europe/Paris", "UTC", "Mars/Olympus_Mons", "GMT+1")
#: A tag or list name no account has.
MISSING_NAME = "kmv-missing-name"
#: A custom-field identifier no account has: the entry is ignored (documented).
UNKNOWN_FIELD = "kmv_unknown_field"
#: An option id no field has.
UNKNOWN_OPTION = "999999"


def texts(max_size: int = 24) -> st.SearchStrategy[str]:
    """Non-empty text without surrounding whitespace: letters, digits, marks, symbols."""
    alphabet = st.characters(
        categories=["L", "N", "P", "S", "Zs"], max_codepoint=0xFFFF, exclude_characters="\x00"
    )
    return st.text(alphabet, min_size=1, max_size=max_size).filter(lambda s: s == s.strip())


def _local_parts() -> st.SearchStrategy[str]:
    plain = st.from_regex(r"[A-Za-z0-9]{1,12}([._+-][A-Za-z0-9]{1,8}){0,2}", fullmatch=True)
    caseless = st.text(
        st.characters(categories=["Lo"], max_codepoint=0xFFFF), min_size=1, max_size=8
    )
    long = st.from_regex(r"[a-z0-9]{40,64}", fullmatch=True)
    # As in Kartra's example ("John@kartra.com"): the first spelling is kept, so capitals matter.
    capitalised = plain.map(lambda local: local[0].upper() + local[1:])
    return st.one_of(capitalised, plain, caseless, long)


def emails() -> st.SearchStrategy[str]:
    """Addresses: mixed-case ASCII, Unicode (caseless letters) and long local parts."""
    return st.tuples(_local_parts(), st.sampled_from(DOMAINS)).map(lambda p: f"{p[0]}@{p[1]}")


class Case(Enum):
    """How an address is spelt when it is sent again (ASCII letters only)."""

    AS_SENT = "as sent"
    LOWER = "lower"
    UPPER = "upper"
    SWAPPED = "swapped"

    def apply(self, email: str) -> str:
        """``email`` in this case."""
        if self is Case.AS_SENT:
            return email
        change = {Case.LOWER: str.lower, Case.UPPER: str.upper, Case.SWAPPED: str.swapcase}[self]
        return "".join(change(c) if c.isascii() else c for c in email)


def case_variants() -> st.SearchStrategy[Case]:
    """One of the :class:`Case` spellings."""
    return st.sampled_from(Case)


def time_zones() -> st.SearchStrategy[str]:
    """One of Kartra's 76 options, or a time zone Kartra does not offer."""
    return st.one_of(st.sampled_from(sorted(TIME_ZONES)), st.sampled_from(INVALID_TIME_ZONES))


def field_value(name: str, *, clearing: bool = False) -> st.SearchStrategy[str]:
    """A value for the profile field ``name``; with ``clearing``, maybe ``""`` (clears it)."""
    if name == "lead_preferred_time_zone":
        value = time_zones()
    elif name == "business_type":
        value = st.one_of(st.integers(0, 999).map(str), st.sampled_from(["individual", "firm"]))
    else:
        value = texts()
    return st.one_of(value, st.just("")) if clearing else value


def lead_fields(*, clearing: bool = False, max_size: int = 4) -> st.SearchStrategy[dict[str, str]]:
    """A few profile fields with values (``""`` among them when ``clearing``)."""
    names = st.lists(st.sampled_from(PROFILE_FIELDS), unique=True, max_size=max_size)
    return names.flatmap(
        lambda chosen: st.fixed_dictionaries(
            {name: field_value(name, clearing=clearing) for name in chosen}
        )
    )


def custom_value(spec: CustomFieldSpec, *, valid: bool = True) -> st.SearchStrategy[CustomValue]:
    """A value for one custom field (docs/behaviour.md#custom-fields); ``valid=False``: one Kartra
    refuses
    with 271 (an array for a text or one-choice field, a scalar for a checkbox, an option id
    the field does not have)."""
    options = st.sampled_from(spec.options) if spec.options else st.nothing()
    if spec.is_text:
        if valid:
            return st.one_of(texts(), st.just(""))
        return st.lists(texts(8), min_size=1, max_size=2).map(tuple)
    if spec.is_checkbox:
        if valid:
            chosen = st.lists(options, min_size=1, unique=True).map(tuple)
            return st.one_of(chosen, st.just(""))
        scalar: st.SearchStrategy[CustomValue] = options
        unknown = st.just((UNKNOWN_OPTION,))
        return st.one_of(scalar, unknown)
    if valid:
        return st.one_of(options, st.just(""))
    wrapped = options.map(lambda option: (option,))
    return st.one_of(wrapped, st.just(UNKNOWN_OPTION), st.just("Red"))


def plain_custom_fields(schema: AccountSchema) -> tuple[CustomEntry, ...] | None:
    """Every custom field of the account with a plain valid value, for an explicit example: a
    text, or its first option (a checkbox's one option still as an array); ``None`` if none."""
    entries = []
    for spec in schema.custom_fields:
        if spec.is_text:
            entries.append(CustomEntry(spec.identifier, "Ada"))
        elif spec.options:
            first = spec.options[0]
            entries.append(CustomEntry(spec.identifier, (first,) if spec.is_checkbox else first))
    return tuple(entries) or None


def valid_custom_fields(schema: AccountSchema) -> st.SearchStrategy[tuple[CustomEntry, ...]]:
    """Well-formed entries for distinct fields; an unknown identifier among them is ignored."""
    identifiers = [spec.identifier for spec in schema.custom_fields] + [UNKNOWN_FIELD]
    by_name: Mapping[str, CustomFieldSpec] = {s.identifier: s for s in schema.custom_fields}

    def entry(identifier: str) -> st.SearchStrategy[CustomEntry]:
        spec = by_name.get(identifier)
        value = custom_value(spec) if spec is not None else texts(8)
        return st.builds(CustomEntry, st.just(identifier), value)

    chosen = st.lists(st.sampled_from(identifiers), min_size=1, max_size=3, unique=True)
    return chosen.flatmap(lambda names: st.tuples(*(entry(name) for name in names)))


def invalid_custom_fields(
    schema: AccountSchema,
) -> st.SearchStrategy[tuple[CustomEntry, ...] | str]:
    """``custom_fields`` Kartra refuses with 271 (docs/behaviour.md#leads): a bad value for a
    field's type,
    an entry without both keys, or not an array at all."""
    fields = [spec for spec in schema.custom_fields if spec.options or spec.is_text]
    bad_value: st.SearchStrategy[tuple[CustomEntry, ...] | str] = st.nothing()
    if fields:
        bad_value = st.sampled_from(fields).flatmap(
            lambda spec: st.tuples(
                st.builds(CustomEntry, st.just(spec.identifier), custom_value(spec, valid=False))
            )
        )
    identifier = fields[0].identifier if fields else UNKNOWN_FIELD
    half_entries = st.sampled_from(
        [(CustomEntry(identifier, None),), (CustomEntry(None, "value"),)]
    )
    return st.one_of(bad_value, half_entries, st.just("not-an-array"))


def custom_fields(schema: AccountSchema) -> st.SearchStrategy[tuple[CustomEntry, ...] | str | None]:
    """``custom_fields`` for a create or edit: none, well-formed, or (less often) malformed."""
    return st.one_of(
        st.none(),
        valid_custom_fields(schema),
        valid_custom_fields(schema),
        invalid_custom_fields(schema),
    )


def new_leads(schema: AccountSchema, *, valid: bool = False) -> st.SearchStrategy[LeadData]:
    """create_lead's ``lead``: an email, some fields, maybe custom fields (with ``valid``,
    never malformed ones)."""
    custom = st.one_of(st.none(), valid_custom_fields(schema)) if valid else custom_fields(schema)
    return st.builds(LeadData, email=emails(), fields=lead_fields(), custom_fields=custom)


@dataclass(frozen=True, slots=True)
class NewEmail:
    """edit_lead's ``new_email``: a ``fresh`` address, the ``other`` lead's (244), or the lead's
    ``own`` address spelt in another case."""

    kind: str
    email: str = ""
    case: Case = Case.AS_SENT


@dataclass(frozen=True, slots=True)
class Changes:
    """What an edit_lead changes."""

    fields: Mapping[str, str]
    custom_fields: tuple[CustomEntry, ...] | str | None = None
    new_email: NewEmail | None = None


def _new_emails() -> st.SearchStrategy[NewEmail | None]:
    fresh = st.builds(NewEmail, kind=st.just("fresh"), email=emails())
    taken = st.builds(NewEmail, kind=st.sampled_from(["other", "own"]), case=case_variants())
    return st.one_of(st.none(), st.none(), fresh, taken)


def changes(schema: AccountSchema) -> st.SearchStrategy[Changes]:
    """The changes of an edit: fields (``""`` clears), custom fields, maybe a new email."""
    return st.builds(
        Changes,
        fields=lead_fields(clearing=True),
        custom_fields=custom_fields(schema),
        new_email=_new_emails(),
    )


class By(Enum):
    """How a call names an existing lead."""

    ID = "id"
    EMAIL = "email"
    ID_AND_EMAIL = "id and its own email"
    ID_AND_OTHER_EMAIL = "id and another lead's email"


@dataclass(frozen=True, slots=True)
class Who:
    """How a call names a lead, and how its email is spelt."""

    by: By
    case: Case = Case.AS_SENT


def whos() -> st.SearchStrategy[Who]:
    """Every way of naming a lead, with every spelling of its email."""
    return st.builds(Who, by=st.sampled_from(By), case=case_variants())


def _names(pool: Sequence[str]) -> st.SearchStrategy[str]:
    existing = st.sampled_from(pool) if pool else st.nothing()
    return st.one_of(existing, existing, st.just(MISSING_NAME), st.just(""))


def actions(schema: AccountSchema) -> st.SearchStrategy[Action]:
    """A tag or list action naming an existing, a missing or an empty tag or list."""

    def for_cmd(cmd: str) -> st.SearchStrategy[Action]:
        pool = schema.tags if NAME_PARAMETER[cmd] == "tag_name" else schema.lists
        return st.builds(Action, st.just(cmd), _names(pool))

    return st.sampled_from(sorted(NAME_PARAMETER)).flatmap(for_cmd)


@dataclass(frozen=True, slots=True)
class ChainPlan:
    """A chain on an existing lead: its lead command (or none), the actions, and where the lead
    command goes (> 0 breaks docs/behaviour.md#lead-command-first: only against a server)."""

    lead_command: str | None
    actions: tuple[Action, ...]
    changes: Changes | None = None
    lead_command_at: int = 0


def chain_plans(schema: AccountSchema, *, misplaced: bool = False) -> st.SearchStrategy[ChainPlan]:
    """Chains on an existing lead: edit/search/no lead command, then one to three actions."""
    steps = st.lists(actions(schema), min_size=1, max_size=3).map(tuple)
    at = st.integers(1, 3) if misplaced else st.just(0)
    plain = st.builds(ChainPlan, st.sampled_from([None, "search_lead"]), steps, st.none(), at)
    edit = st.builds(ChainPlan, st.just("edit_lead"), steps, changes(schema), at)
    return st.one_of(plain, edit)
