"""What every rule of the suite runs against: the account, what the target can do, sessions.

``verify_server`` and ``check_client`` each build one :class:`Harness`; the rules
(:mod:`contracts.suite`) only ever see this, so each rule is written once for both directions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from dataclasses import dataclass, field
from enum import Enum

from hypothesis import settings

from contracts.profiles import Profile
from contracts.schema import AccountSchema
from contracts.session import Session
from kartra_mock.client.control import ControlPlane

__all__ = ["Capability", "ClientSide", "ExampleDone", "Harness"]


class Capability(Enum):
    """What a rule may need from the target."""

    #: The mock's control plane: delete leads (Kartra's UI action), read the journal.
    CONTROL = "the mock's control plane"
    #: Not the real Kartra: the mock's own codes (901) and made-up lead ids may be used.
    MOCK = "a mock, not the real Kartra"
    #: The calls go out exactly as the contracts build them (a server is being verified).
    RAW = "raw HTTP calls (verify_server)"
    #: A client is under test, against a mock with fault injection.
    CLIENT = "a client under test with fault injection"


@dataclass(frozen=True, slots=True)
class ClientSide:
    """The client direction's extras: the mock's control plane and the client's credentials."""

    control: ControlPlane
    api_key: str
    app_id: str


class ExampleDone(Exception):
    """Raised inside :meth:`Harness.checked_session` when an example has nothing more to try
    (a create it builds on was rightly refused): the session still checks its leads."""


@dataclass
class Harness:
    """One system under test, as the rules see it."""

    schema: AccountSchema
    capabilities: frozenset[Capability]
    profile: Profile
    #: Opens a session on a clean slate (a reset mock, or fresh email addresses).
    open_session: Callable[[], AbstractContextManager[Session]]
    client: ClientSide | None = None
    exercised: Counter[str] = field(default_factory=Counter)

    def has(self, capability: Capability) -> bool:
        """Whether the target offers ``capability``."""
        return capability in self.capabilities

    def settings(self, **overrides: object) -> settings:
        """Hypothesis settings for one rule (the profile's, plus ``overrides``)."""
        return self.profile.settings(**overrides)

    def session(self) -> AbstractContextManager[Session]:
        """A session on a clean slate."""
        return self.open_session()

    @contextmanager
    def checked_session(self) -> Iterator[Session]:
        """A session on a clean slate that ends, once its calls went well (or the example is done
        early: :class:`ExampleDone`), by checking that every lead reads back as the model has it
        (how each focused rule ends)."""
        with self.open_session() as session:
            with suppress(ExampleDone):
                yield session
            session.check_state()
