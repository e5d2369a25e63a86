"""Hypothesis profiles for the contract suite: ``ci`` (fast, deterministic) and ``thorough``.

``ci`` keeps a whole ``check_client`` or ``verify_server`` run to a few seconds against an
in-process mock, with a fixed seed so that CI never flakes; ``thorough`` is for a user who
wants confidence (minutes, random, many more and longer call sequences). Pick one by name::

    contracts.check_client(factory, profile="thorough")
    kartra-mock verify --base-url http://127.0.0.1:8765 --profile thorough

For your own property tests built on :mod:`contracts.strategies`, call
:func:`register_hypothesis_profiles` (e.g. in ``conftest.py``) and load
``kartra-mock-ci`` / ``kartra-mock-thorough`` with ``settings.load_profile``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypothesis import HealthCheck, Phase, settings

__all__ = ["CI", "PROFILES", "THOROUGH", "Profile", "get", "register_hypothesis_profiles"]


@dataclass(frozen=True, slots=True)
class Profile:
    """How hard the suite tries."""

    name: str
    #: Examples per focused rule.
    max_examples: int
    #: Call sequences the state machine tries, and their length.
    stateful_examples: int
    stateful_steps: int
    #: Examples per resilience rule; each "Too many requests" costs a real second of waiting.
    resilience_examples: int
    max_rate_limit_faults: int
    max_latency_ms: int
    #: A fixed seed (reproducible, never flaky) instead of fresh randomness.
    derandomize: bool

    def settings(self, **overrides: Any) -> settings:
        """Hypothesis settings for a rule of this profile."""
        chosen: dict[str, Any] = {
            "max_examples": self.max_examples,
            "stateful_step_count": self.stateful_steps,
            "derandomize": self.derandomize,
            # Calls go over HTTP; their time is not the code's speed.
            "deadline": None,
            # The contracts keep no example database in the user's working directory.
            "database": None,
            "report_multiple_bugs": False,
            "print_blob": False,
            # No "explain" phase: it reruns failures to name lines of the contracts' own code.
            "phases": [Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
            "suppress_health_check": [
                HealthCheck.too_slow,
                HealthCheck.filter_too_much,
                HealthCheck.data_too_large,
            ],
        }
        chosen.update(overrides)
        return settings(**chosen)


CI = Profile(
    name="ci",
    max_examples=10,
    stateful_examples=8,
    stateful_steps=12,
    resilience_examples=1,
    max_rate_limit_faults=1,
    max_latency_ms=150,
    derandomize=True,
)
THOROUGH = Profile(
    name="thorough",
    max_examples=200,
    stateful_examples=150,
    stateful_steps=40,
    resilience_examples=12,
    max_rate_limit_faults=2,
    max_latency_ms=1000,
    derandomize=False,
)
PROFILES: dict[str, Profile] = {CI.name: CI, THOROUGH.name: THOROUGH}


def get(profile: str | Profile) -> Profile:
    """A profile by name (``"ci"``, ``"thorough"``), or the one given."""
    if isinstance(profile, Profile):
        return profile
    try:
        return PROFILES[profile]
    except KeyError:
        raise ValueError(
            f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}"
        ) from None


def register_hypothesis_profiles() -> None:
    """Register ``kartra-mock-ci`` and ``kartra-mock-thorough`` with hypothesis."""
    for profile in PROFILES.values():
        settings.register_profile(f"kartra-mock-{profile.name}", profile.settings())
