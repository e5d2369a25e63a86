"""What Kartra's outbound calls look like on the wire: webhook actions and IPN variables.

One home for these facts, read by the mock's sender (:mod:`kartra_mock.outbound`), the
client's event models (:mod:`kartra_mock.client.webhooks`) and the contract kit
(``contracts.check_webhook_handler``). Each fact is tagged in ``docs/webhooks.md``.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = [
    "ACTION_DETAILS",
    "IPN_TRANSACTION_TYPES",
    "IPN_VARIABLES",
    "NOT_AVAILABLE",
    "VENDOR_TIMEZONE",
    "WEBHOOK_ACTIONS",
]

#: Every documented outbound ``action`` value, in Kartra's order (documented).
WEBHOOK_ACTIONS: tuple[str, ...] = (
    "assign_tag",
    "unassign_tag",
    "list_subscription",
    "list_unsubscription",
    "sequence_subscription",
    "sequence_unsubscription",
    "sequence_completion",
    "membership_granted",
    "membership_revoked",
    "filled_form",
    "reaches_score",
    "calendar_subscribe",
    "calendar_cancel",
    "calendar_complete",
    "survey_complete",
    "video_play",
    "video_complete",
    "kartra_page_visit",
    "click_page_split_test_link",
    "buy_product",
    "refund_product",
    "partial_refund_product",
    "cancel_subscription",
    "affiliate_signup",
    "jv_signup",
)

#: ``action_details`` per action: its one key and that object's fields. Tag, list, sequence
#: and calendar shapes are documented; the others follow the same pattern (inferred).
ACTION_DETAILS: Mapping[str, tuple[str, tuple[str, ...]]] = {
    "assign_tag": ("tag", ("tag_id", "tag_name")),
    "unassign_tag": ("tag", ("tag_id", "tag_name")),
    "list_subscription": ("list", ("list_id", "list_name")),
    "list_unsubscription": ("list", ("list_id", "list_name")),
    "sequence_subscription": ("sequence", ("sequence_id", "sequence_name")),
    "sequence_unsubscription": ("sequence", ("sequence_id", "sequence_name")),
    "sequence_completion": ("sequence", ("sequence_id", "sequence_name")),
    "membership_granted": ("membership", ("membership_id", "membership_name", "level_name")),
    "membership_revoked": ("membership", ("membership_id", "membership_name", "level_name")),
    "filled_form": ("form", ("form_id", "form_name")),
    "reaches_score": ("score", ("score",)),
    "calendar_subscribe": (
        "calendar",
        ("calendar_id", "calendar_name", "class_id", "class_name", "hosts", "vendor_timezone"),
    ),
    "calendar_cancel": (
        "calendar",
        ("calendar_id", "calendar_name", "class_id", "class_name", "hosts", "vendor_timezone"),
    ),
    "calendar_complete": (
        "calendar",
        ("calendar_id", "calendar_name", "class_id", "class_name", "hosts", "vendor_timezone"),
    ),
    "survey_complete": ("survey", ("survey_id", "survey_name")),
    "video_play": ("video", ("video_id", "video_name")),
    "video_complete": ("video", ("video_id", "video_name")),
    "kartra_page_visit": ("page", ("kartra_page_id", "kartra_page_name")),
    "click_page_split_test_link": ("page", ("kartra_page_id", "kartra_page_name")),
    "buy_product": ("product", ("product_id", "product_name", "price_point", "transaction_id")),
    "refund_product": (
        "product",
        ("product_id", "product_name", "price_point", "transaction_id"),
    ),
    "partial_refund_product": (
        "product",
        ("product_id", "product_name", "price_point", "transaction_id"),
    ),
    "cancel_subscription": (
        "product",
        ("product_id", "product_name", "price_point", "transaction_id"),
    ),
    "affiliate_signup": ("affiliate", ("affiliate_program_id", "affiliate_program_name")),
    "jv_signup": ("jv", ("jv_program_id", "jv_program_name")),
}

#: The value Kartra posts for an empty IPN variable (documented).
NOT_AVAILABLE = "N/A"

#: The documented ``transaction_type`` values of an IPN.
IPN_TRANSACTION_TYPES: tuple[str, ...] = (
    "sale",
    "refund",
    "partial_refund",
    "failed",
    "rebill",
    "cancellation",
    "chargeback",
)

#: The IPN's flat form variables, in the order the mock posts them (documented names).
IPN_VARIABLES: tuple[str, ...] = (
    "transaction_id",
    "transaction_full_amount",
    "transaction_base_amount",
    "transaction_discount",
    "transaction_shipping",
    "transaction_tax",
    "transaction_date",
    "transaction_type",
    "transaction_parent_id",
    "transaction_affiliate",
    "transaction_jv",
    "transaction_subscription_id",
    "transaction_internal_subscription_id",
    "transaction_subscription_pay_number",
    "transaction_quantity",
    "transaction_last_4_card_digits",
    "original_id",
    "product_name",
    "product_id",
    "product_price_point",
    "lead_id",
    "lead_first_name",
    "lead_last_name",
    "lead_email",
    "lead_phone",
    "lead_address",
    "lead_city",
    "lead_state",
    "lead_zip",
    "lead_country",
    "secret_key",
    "vendor_tracking_id_1",
    "vendor_tracking_id_2",
    "vendor_tracking_link",
    "gdpr_lead_status",
    "gdpr_lead_communications",
)

#: Kartra's calendar events name the vendor's time zone (documented example value).
VENDOR_TIMEZONE = "America/New_York"
