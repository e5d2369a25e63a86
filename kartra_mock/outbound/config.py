"""Where outbound calls go: webhook URLs with their events, IPN URLs with their secret key.

The state document's ``outbound`` key (``docs/webhooks.md#configuration``)::

    "outbound": {
      "webhooks": [{"url": "http://127.0.0.1:9000/hook", "events": ["assign_tag"],
                    "api_key": "demo-key"}],
      "ipn": [{"url": "http://127.0.0.1:9000/ipn", "secret_key": "s3cret", "product_id": 1}],
      "delivery": {"retries": 0, "retry_delay_ms": 100, "timeout_s": 5}
    }

An absent ``api_key`` means every account, absent ``events`` every action, absent
``product_id`` every product (inferred conveniences; Kartra configures them per account and
per product).
"""

from __future__ import annotations

from dataclasses import dataclass

from kartra_mock.engine import state_checks as checks
from kartra_mock.protocol.outbound import WEBHOOK_ACTIONS

__all__ = ["DeliveryPolicy", "IpnTarget", "OutboundConfig", "WebhookTarget", "load_outbound"]


@dataclass(frozen=True, slots=True)
class WebhookTarget:
    """One Outbound API URL and the actions it receives (all when ``events`` is empty)."""

    url: str
    events: frozenset[str] = frozenset()
    api_key: str | None = None

    def wants(self, api_key: str, action: str) -> bool:
        """Whether this URL receives ``action`` of account ``api_key``."""
        return (self.api_key in (None, api_key)) and (not self.events or action in self.events)

    def to_json(self) -> dict[str, object]:
        """As in the state document."""
        item: dict[str, object] = {"url": self.url, "events": sorted(self.events)}
        if self.api_key is not None:
            item["api_key"] = self.api_key
        return item


@dataclass(frozen=True, slots=True)
class IpnTarget:
    """One product's payment notification URL and the secret it posts (documented)."""

    url: str
    secret_key: str = ""
    product_id: int | None = None
    api_key: str | None = None

    def wants(self, api_key: str, product_id: int) -> bool:
        """Whether this URL is notified of a payment of ``product_id`` in account ``api_key``."""
        return self.api_key in (None, api_key) and self.product_id in (None, product_id)

    def to_json(self) -> dict[str, object]:
        """As in the state document."""
        item: dict[str, object] = {"url": self.url, "secret_key": self.secret_key}
        if self.product_id is not None:
            item["product_id"] = self.product_id
        if self.api_key is not None:
            item["api_key"] = self.api_key
        return item


@dataclass(frozen=True, slots=True)
class DeliveryPolicy:
    """How the sender retries (Kartra documents no retry, so none by default: inferred)."""

    retries: int = 0
    retry_delay_ms: int = 100
    timeout_s: float = 5.0

    def to_json(self) -> dict[str, object]:
        """As in the state document."""
        return {
            "retries": self.retries,
            "retry_delay_ms": self.retry_delay_ms,
            "timeout_s": self.timeout_s,
        }


@dataclass(frozen=True, slots=True)
class OutboundConfig:
    """Every outbound destination of the mock."""

    webhooks: tuple[WebhookTarget, ...] = ()
    ipn: tuple[IpnTarget, ...] = ()
    delivery: DeliveryPolicy = DeliveryPolicy()

    def active_for(self, api_key: str) -> bool:
        """Whether any call of this account can be sent anywhere (else nothing is watched)."""
        return any(t.api_key in (None, api_key) for t in self.webhooks) or any(
            t.api_key in (None, api_key) for t in self.ipn
        )

    def to_json(self) -> dict[str, object]:
        """The state document's ``outbound`` value."""
        return {
            "webhooks": [t.to_json() for t in self.webhooks],
            "ipn": [t.to_json() for t in self.ipn],
            "delivery": self.delivery.to_json(),
        }


def _url(value: object, where: str) -> str:
    url = checks.read_text(value, where, empty=False)
    if not url.startswith(("http://", "https://")):
        raise checks.fail(where, f"must be an http:// or https:// URL, not {url[:60]!r}")
    return url


def _webhook(value: object, where: str) -> WebhookTarget:
    raw = checks.read_object(value, where, frozenset({"url", "events", "api_key"}))
    events = checks.read_names(raw.get("events", []), f"{where}.events")
    unknown = [e for e in events if e not in WEBHOOK_ACTIONS]
    if unknown:
        raise checks.fail(
            f"{where}.events", f"unknown action {unknown[0]!r} (see docs/webhooks.md)"
        )
    api_key = raw.get("api_key")
    return WebhookTarget(
        _url(raw.get("url"), f"{where}.url"),
        frozenset(events),
        None if api_key is None else checks.read_text(api_key, f"{where}.api_key", empty=False),
    )


def _ipn(value: object, where: str) -> IpnTarget:
    raw = checks.read_object(
        value, where, frozenset({"url", "secret_key", "product_id", "api_key"})
    )
    product = raw.get("product_id")
    api_key = raw.get("api_key")
    return IpnTarget(
        _url(raw.get("url"), f"{where}.url"),
        checks.read_text(raw.get("secret_key", ""), f"{where}.secret_key"),
        None if product is None else checks.read_int(product, f"{where}.product_id", minimum=1),
        None if api_key is None else checks.read_text(api_key, f"{where}.api_key", empty=False),
    )


def _policy(value: object, where: str) -> DeliveryPolicy:
    raw = checks.read_object(value, where, frozenset({"retries", "retry_delay_ms", "timeout_s"}))
    timeout = raw.get("timeout_s", 5.0)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not timeout > 0:
        raise checks.fail(f"{where}.timeout_s", "must be a number of seconds > 0")
    return DeliveryPolicy(
        checks.read_int(raw.get("retries", 0), f"{where}.retries"),
        checks.read_int(raw.get("retry_delay_ms", 100), f"{where}.retry_delay_ms"),
        float(timeout),
    )


def load_outbound(value: object) -> OutboundConfig:
    """The ``outbound`` value of a state document; :class:`StateError` says what is wrong."""
    if value is None:
        return OutboundConfig()
    raw = checks.read_object(value, "outbound", frozenset({"webhooks", "ipn", "delivery"}))
    webhooks = checks.read_list(raw.get("webhooks", []), "outbound.webhooks")
    ipn = checks.read_list(raw.get("ipn", []), "outbound.ipn")
    return OutboundConfig(
        tuple(_webhook(item, f"outbound.webhooks[{i}]") for i, item in enumerate(webhooks)),
        tuple(_ipn(item, f"outbound.ipn[{i}]") for i, item in enumerate(ipn)),
        _policy(raw.get("delivery", {}), "outbound.delivery"),
    )
