"""The world ``check_client`` loads into the mock: one account with every custom-field type.

A state document (docs/control-plane.md#the-state-document). The client under test calls as app
:data:`CLIENT_APP_ID`; the contracts' own observer reads leads back as app :data:`OBSERVER_APP_ID`
on the same account, so that the journal tells the client's requests from the observer's."""

from __future__ import annotations

__all__ = ["API_KEY", "API_PASSWORD", "CLIENT_APP_ID", "OBSERVER_APP_ID", "world_document"]

CLIENT_APP_ID = "contracts-client"
OBSERVER_APP_ID = "contracts-observer"
API_KEY = "contracts-key"
API_PASSWORD = "contracts-password"


def _options(*pairs: tuple[int, str]) -> list[dict[str, object]]:
    return [{"id": option_id, "value": value} for option_id, value in pairs]


def world_document() -> dict[str, object]:
    """A fresh copy of the world: no leads, rate limit off (faults bring 429s when wanted)."""
    return {
        "auth": "open",
        "settings": {"rate_limit": 0},
        "apps": [{"app_id": CLIENT_APP_ID}, {"app_id": OBSERVER_APP_ID}],
        "accounts": [
            {
                "api_key": API_KEY,
                "api_password": API_PASSWORD,
                "custom_fields": [
                    {"identifier": "text1", "type": "input_field"},
                    {"identifier": "notes1", "type": "text_area"},
                    {
                        "identifier": "dropdown1",
                        "type": "drop_down",
                        "options": _options((612, "Red"), (613, "Blue")),
                    },
                    {
                        "identifier": "radio1",
                        "type": "radio_button",
                        "options": _options((630, "Yes"), (631, "No")),
                    },
                    {
                        "identifier": "checkbox1",
                        "type": "checkbox",
                        "options": _options((620, "A"), (621, "B"), (622, "C")),
                    },
                ],
                "tags": ["Customer", "VIP", "Prospect"],
                "lists": ["Newsletter", "Webinar"],
                "leads": [],
            }
        ],
    }
