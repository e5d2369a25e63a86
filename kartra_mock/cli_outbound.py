"""The command line's outbound parts: ``serve --webhook/--ipn`` and ``kartra-mock trigger``.

Kept apart from :mod:`kartra_mock.cli` (argv only, like it): parsing the options and talking
to a running server's control plane.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from kartra_mock import DEMO_API_KEY
from kartra_mock.cli_options import Commands, add_admin_token, add_base_url, admin_token, http_url
from kartra_mock.outbound.config import IpnTarget, WebhookTarget
from kartra_mock.protocol.outbound import WEBHOOK_ACTIONS

__all__ = ["add_serve_options", "add_trigger", "trigger_command"]


def _webhook(text: str) -> WebhookTarget:
    url, _, events = text.partition("=")
    http_url(url)
    names = frozenset(e.strip() for e in events.split(",") if e.strip())
    unknown = sorted(names - set(WEBHOOK_ACTIONS))
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown action {unknown[0]!r}; one of: {', '.join(WEBHOOK_ACTIONS)}"
        )
    return WebhookTarget(url, names)


def _ipn(text: str) -> IpnTarget:
    url, _, secret = text.partition("=")
    http_url(url)
    return IpnTarget(url, secret)


def add_serve_options(serve: argparse.ArgumentParser) -> None:
    """``--webhook URL[=EVENT,EVENT]`` and ``--ipn URL[=SECRET]``, each repeatable."""
    serve.add_argument(
        "--webhook",
        type=_webhook,
        action="append",
        default=[],
        metavar="URL[=EVENT,...]",
        help="send outbound webhooks of every account to URL (all actions, or those listed)",
    )
    serve.add_argument(
        "--ipn",
        type=_ipn,
        action="append",
        default=[],
        metavar="URL[=SECRET]",
        help="send every product's IPN to URL, with SECRET as its secret_key",
    )


def add_trigger(commands: Commands) -> None:
    """``kartra-mock trigger EVENT --lead EMAIL``: make an event happen on a running server."""
    trigger = commands.add_parser(
        "trigger",
        help="make an outbound event happen on a running mock (buy_product, filled_form, ...)",
        description="Trigger an outbound webhook event on a running kartra-mock server.",
    )
    trigger.add_argument("event", choices=WEBHOOK_ACTIONS, metavar="EVENT", help="the action")
    trigger.add_argument("--lead", required=True, help="the lead's email or id")
    add_base_url(trigger, "the running mock", metavar="URL")
    trigger.add_argument(
        "--api-key",
        default=DEMO_API_KEY,
        metavar="KEY",
        help="the lead's account (default: %(default)s)",
    )
    trigger.add_argument("--product-id", type=int, metavar="N", help="buy_product: the product")
    trigger.add_argument("--price-point", type=int, metavar="N", help="buy_product: its price")
    trigger.add_argument(
        "--details", metavar="JSON", help='action_details, e.g. \'{"form": {"form_name": "Quiz"}}\''
    )
    add_admin_token(trigger)


def trigger_command(args: argparse.Namespace) -> int:
    """Run ``kartra-mock trigger``; prints where the event was queued."""
    import httpx  # only this command talks HTTP; ``serve`` does not pay for the import

    body: dict[str, object] = {"action": args.event, "lead": args.lead, "api_key": args.api_key}
    if args.details:
        try:
            body["details"] = json.loads(args.details)
        except ValueError as exc:
            print(f"kartra-mock: --details is not valid JSON: {exc}", file=sys.stderr)
            return 2
    for key in ("product_id", "price_point"):
        if getattr(args, key) is not None:
            body[key] = getattr(args, key)
    from kartra_mock.client.control import ControlPlane, ControlPlaneError

    control = ControlPlane.connect(args.base_url, admin_token=admin_token(args))
    try:
        queued: Sequence[dict[str, str]] = control.trigger(body)
    except httpx.HTTPError as exc:
        print(f"kartra-mock: cannot reach {args.base_url}: {exc}", file=sys.stderr)
        return 2
    except ControlPlaneError as exc:
        print(f"kartra-mock: {exc.status_code}: {exc.text}", file=sys.stderr)
        return 1
    finally:
        control.close()
    for call in queued:
        print(f"{call['event']} -> {call['url']}")
    if not queued:
        print(f"{args.event} happened; no outbound URL is configured for it")
    return 0
