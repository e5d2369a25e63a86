"""The error catalogue: one class per Kartra error ``type``, shared by server and client.

The domain raises these, the server serialises them to Kartra's flat envelope
``{"status": "Error", "message": ..., "type": ...}`` (or to a per-action entry in a chain),
and the reference client turns a received envelope back into the same class::

    KartraError                 type_code, message, source; status_code (HTTP) is 200...
    ├── LeadNotFound            243 No lead found
    ├── LeadAlreadyExists       244 Lead already exists
    ├── LeadDeleted             245 Lead is deleted
    ├── WrongCustomFieldFormat  271 Wrong custom field format
    ├── TooManyRequests         429 Too many requests      ...except this one: HTTP 429
    ├── LeadCommandNotFirst     901 (the mock's own 9xx range: inferred)
    └── ... one class for every code of docs/errors.md (ERROR_CLASSES lists them all)

``type_code`` is always Kartra's code (a string, as Kartra sends it); ``status_code`` is
always the HTTP status. ``source`` says how we know the code and its message.

Example::

    >>> error_for_type("244").message
    'Lead already exists'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from kartra_mock.protocol.rules import Source

__all__ = [
    "ERRORS_BY_TYPE",
    "ERROR_CLASSES",
    "AccountInactive",
    "ActionsNotArray",
    "AlreadyRefunded",
    "ApiKeyEmpty",
    "ApiKeyInvalid",
    "ApiPasswordInvalid",
    "AppAccountInactive",
    "AppIdEmpty",
    "AppIdInvalid",
    "CalendarNameEmpty",
    "CalendarNotFound",
    "CancellationFailed",
    "ClassNameEmpty",
    "ClassNotFound",
    "CmdNotPermitted",
    "CmdRequired",
    "ConnectionNotSecure",
    "CustomFieldExists",
    "CustomFieldNameEmpty",
    "CustomFieldNameInvalid",
    "CustomFieldTypeInvalid",
    "DateInPast",
    "GetLeadNotArray",
    "GetLeadNotFound",
    "IncorrectInstallments",
    "InvalidAmount",
    "InvalidDateFormat",
    "InvalidNumber",
    "InvalidRecurringPeriod",
    "KartraError",
    "LeadAlreadyExists",
    "LeadCommandNotFirst",
    "LeadDeleted",
    "LeadIdentifierRequired",
    "LeadNotArray",
    "LeadNotFound",
    "ListNameEmpty",
    "ListNotFound",
    "NoCalendarSubscription",
    "NoEditableParameters",
    "NotRefundable",
    "OptionEmpty",
    "OptionsNotArray",
    "OutsideRefundPeriod",
    "PaypalNotModifiable",
    "PointsEmpty",
    "PointsNotNumber",
    "PriceOutOfRange",
    "QuantityOutOfRange",
    "RecurrenceNotChangeable",
    "RefundFailed",
    "RemovePointsEmpty",
    "RemovePointsNotNumber",
    "SequenceNameEmpty",
    "SequenceNotFound",
    "StepEmpty",
    "StepNotAlphanumeric",
    "StepNotFound",
    "SubscriptionAlreadyCancelled",
    "SubscriptionNotFound",
    "SubscriptionNotUpdatable",
    "TagNameEmpty",
    "TagNotFound",
    "TaxOutOfRange",
    "TooFewOptions",
    "TooManyRequests",
    "TransactionNotFound",
    "TransactionNotLinked",
    "UnassignTagNameEmpty",
    "UnassignTagNotFound",
    "UnauthorizedIp",
    "UnknownKartraError",
    "UnsubscribeListNameEmpty",
    "UnsubscribeListNotFound",
    "UnsubscribeSequenceNotFound",
    "WrongCustomFieldFormat",
    "WrongProductOrPricePoint",
    "WrongStatus",
    "error_for_type",
]


class KartraError(Exception):
    """Base of every Kartra error: carries Kartra's ``type_code`` and ``message``."""

    type_code: ClassVar[str] = ""
    default_message: ClassVar[str] = ""
    source: ClassVar[Source] = Source.DOCUMENTED
    status_code: ClassVar[int] = 200

    def __init__(self, message: str | None = None) -> None:
        self.message = self.default_message if message is None else message
        super().__init__(f"{self.type_code}: {self.message}")

    def to_json(self) -> dict[str, str]:
        """Kartra's flat error envelope for this error."""
        return {"status": "Error", "message": self.message, "type": self.type_code}


class UnknownKartraError(KartraError):
    """An error ``type`` that is not in the catalogue (what a client gets from a newer Kartra)."""

    def __init__(self, type_code: str, message: str) -> None:
        self.unknown_type_code = type_code
        super().__init__(message)

    def to_json(self) -> dict[str, str]:
        """Kartra's flat error envelope, with the type as received."""
        return {"status": "Error", "message": self.message, "type": self.unknown_type_code}


class ConnectionNotSecure(KartraError):
    """201: Connection not secure"""

    type_code = "201"
    default_message = "Connection not secure"
    source = Source.DOCUMENTED


class ApiKeyEmpty(KartraError):
    """202: API key cannot be empty. Please get an API key first"""

    type_code = "202"
    default_message = "API key cannot be empty. Please get an API key first"
    source = Source.DOCUMENTED


class ApiKeyInvalid(KartraError):
    """203: API key not valid. Please get an API key first"""

    type_code = "203"
    default_message = "API key not valid. Please get an API key first"
    source = Source.DOCUMENTED


class AccountInactive(KartraError):
    """204: API Account inactive"""

    type_code = "204"
    default_message = "API Account inactive"
    source = Source.DOCUMENTED


class LeadIdentifierRequired(KartraError):
    """206: email or lead id is required. Nothing done"""

    type_code = "206"
    default_message = "email or lead id is required. Nothing done"
    source = Source.DOCUMENTED


class ListNameEmpty(KartraError):
    """207: List cannot be empty"""

    type_code = "207"
    default_message = "List cannot be empty"
    source = Source.DOCUMENTED


class UnsubscribeListNameEmpty(KartraError):
    """208: List cannot be empty"""

    type_code = "208"
    default_message = "List cannot be empty"
    source = Source.DOCUMENTED


class UnsubscribeListNotFound(KartraError):
    """209: List does not exist"""

    type_code = "209"
    default_message = "List does not exist"
    source = Source.DOCUMENTED


class TagNameEmpty(KartraError):
    """211: Tag cannot be empty"""

    type_code = "211"
    default_message = "Tag cannot be empty"
    source = Source.DOCUMENTED


class TagNotFound(KartraError):
    """212: Tag does not exist"""

    type_code = "212"
    default_message = "Tag does not exist"
    source = Source.DOCUMENTED


class UnassignTagNameEmpty(KartraError):
    """213: Tag cannot be empty"""

    type_code = "213"
    default_message = "Tag cannot be empty"
    source = Source.DOCUMENTED


class UnassignTagNotFound(KartraError):
    """214: Tag does not exist"""

    type_code = "214"
    default_message = "Tag does not exist"
    source = Source.DOCUMENTED


class PointsEmpty(KartraError):
    """215: Points cannot be empty"""

    type_code = "215"
    default_message = "Points cannot be empty"
    source = Source.DOCUMENTED


class RemovePointsEmpty(KartraError):
    """217: Points cannot be empty"""

    type_code = "217"
    default_message = "Points cannot be empty"
    source = Source.DOCUMENTED


class SequenceNotFound(KartraError):
    """219: Sequence does not exist"""

    type_code = "219"
    default_message = "Sequence does not exist"
    source = Source.DOCUMENTED


class UnsubscribeSequenceNotFound(KartraError):
    """220: Sequence does not exist"""

    type_code = "220"
    default_message = "Sequence does not exist"
    source = Source.OBSERVED


class LeadNotArray(KartraError):
    """223: 'lead' not an array"""

    type_code = "223"
    default_message = "'lead' not an array"
    source = Source.DOCUMENTED


class ActionsNotArray(KartraError):
    """224: 'actions' not an array"""

    type_code = "224"
    default_message = "'actions' not an array"
    source = Source.DOCUMENTED


class StepEmpty(KartraError):
    """225: Step cannot be empty"""

    type_code = "225"
    default_message = "Step cannot be empty"
    source = Source.DOCUMENTED


class SequenceNameEmpty(KartraError):
    """226: Sequence cannot be empty"""

    type_code = "226"
    default_message = "Sequence cannot be empty"
    source = Source.DOCUMENTED


class PointsNotNumber(KartraError):
    """227: Points is not a number"""

    type_code = "227"
    default_message = "Points is not a number"
    source = Source.DOCUMENTED


class RemovePointsNotNumber(KartraError):
    """228: Points is not a number"""

    type_code = "228"
    default_message = "Points is not a number"
    source = Source.DOCUMENTED


class StepNotAlphanumeric(KartraError):
    """229: Step has to be alphanumeric"""

    type_code = "229"
    default_message = "Step has to be alphanumeric"
    source = Source.DOCUMENTED


class StepNotFound(KartraError):
    """230: Step does not exist"""

    type_code = "230"
    default_message = "Step does not exist"
    source = Source.DOCUMENTED


class ListNotFound(KartraError):
    """231: List does not exist"""

    type_code = "231"
    default_message = "List does not exist"
    source = Source.DOCUMENTED


class ApiPasswordInvalid(KartraError):
    """233: API password not valid. Please get an API password first"""

    type_code = "233"
    default_message = "API password not valid. Please get an API password first"
    source = Source.DOCUMENTED


class GetLeadNotFound(KartraError):
    """234: No lead found"""

    type_code = "234"
    default_message = "No lead found"
    source = Source.OBSERVED


class GetLeadNotArray(KartraError):
    """236: 'get_lead' not an array"""

    type_code = "236"
    default_message = "'get_lead' not an array"
    source = Source.DOCUMENTED


class AppIdEmpty(KartraError):
    """238: App Id cannot be empty. Please get an App Id first"""

    type_code = "238"
    default_message = "App Id cannot be empty. Please get an App Id first"
    source = Source.DOCUMENTED


class AppIdInvalid(KartraError):
    """239: App Id is not valid. The app does not exists or is inactive"""

    type_code = "239"
    default_message = "App Id is not valid. The app does not exists or is inactive"
    source = Source.DOCUMENTED


class AppAccountInactive(KartraError):
    """240: App Account inactive"""

    type_code = "240"
    default_message = "App Account inactive"
    source = Source.DOCUMENTED


class UnauthorizedIp(KartraError):
    """242: This API call was sent from an unauthorized IP"""

    type_code = "242"
    default_message = "This API call was sent from an unauthorized IP"
    source = Source.DOCUMENTED


class LeadNotFound(KartraError):
    """243: No lead found"""

    type_code = "243"
    default_message = "No lead found"
    source = Source.DOCUMENTED


class LeadAlreadyExists(KartraError):
    """244: Lead already exists"""

    type_code = "244"
    default_message = "Lead already exists"
    source = Source.DOCUMENTED


class LeadDeleted(KartraError):
    """245: Lead is deleted"""

    type_code = "245"
    default_message = "Lead is deleted"
    source = Source.DOCUMENTED


class TransactionNotFound(KartraError):
    """247: Transaction doesn't exist"""

    type_code = "247"
    default_message = "Transaction doesn't exist"
    source = Source.DOCUMENTED


class SubscriptionNotFound(KartraError):
    """248: Subscription doesn't exist"""

    type_code = "248"
    default_message = "Subscription doesn't exist"
    source = Source.DOCUMENTED


class TransactionNotLinked(KartraError):
    """249: Transaction not linked to any recurring subscription"""

    type_code = "249"
    default_message = "Transaction not linked to any recurring subscription"
    source = Source.DOCUMENTED


class OutsideRefundPeriod(KartraError):
    """250: Transaction outside refund period"""

    type_code = "250"
    default_message = "Transaction outside refund period"
    source = Source.DOCUMENTED


class AlreadyRefunded(KartraError):
    """251: Transaction already refunded"""

    type_code = "251"
    default_message = "Transaction already refunded"
    source = Source.DOCUMENTED


class SubscriptionAlreadyCancelled(KartraError):
    """252: Subscription already cancelled"""

    type_code = "252"
    default_message = "Subscription already cancelled"
    source = Source.DOCUMENTED


class NotRefundable(KartraError):
    """253: This type of transaction cannot be refunded or cancelled"""

    type_code = "253"
    default_message = "This type of transaction cannot be refunded or cancelled"
    source = Source.DOCUMENTED


class CmdRequired(KartraError):
    """254: 'cmd' is required"""

    type_code = "254"
    default_message = "'cmd' is required"
    source = Source.DOCUMENTED


class CalendarNameEmpty(KartraError):
    """255: Calendar cannot be empty"""

    type_code = "255"
    default_message = "Calendar cannot be empty"
    source = Source.DOCUMENTED


class ClassNameEmpty(KartraError):
    """256: Class cannot be empty"""

    type_code = "256"
    default_message = "Class cannot be empty"
    source = Source.DOCUMENTED


class CalendarNotFound(KartraError):
    """257: Calendar does not exist"""

    type_code = "257"
    default_message = "Calendar does not exist"
    source = Source.DOCUMENTED


class ClassNotFound(KartraError):
    """258: Class does not exist"""

    type_code = "258"
    default_message = "Class does not exist"
    source = Source.DOCUMENTED


class NoCalendarSubscription(KartraError):
    """259: No active/pending calendar subscription for this lead"""

    type_code = "259"
    default_message = "No active/pending calendar subscription for this lead"
    source = Source.DOCUMENTED


class InvalidDateFormat(KartraError):
    """260: Invalid date format"""

    type_code = "260"
    default_message = "Invalid date format"
    source = Source.DOCUMENTED


class DateInPast(KartraError):
    """261: Date is in the past"""

    type_code = "261"
    default_message = "Date is in the past"
    source = Source.DOCUMENTED


class CmdNotPermitted(KartraError):
    """262: App does not have permission to execute this CMD"""

    type_code = "262"
    default_message = "App does not have permission to execute this CMD"
    source = Source.OBSERVED


class CustomFieldNameInvalid(KartraError):
    """263: Custom Field name can only contain letters, numbers, dashes or underscores"""

    type_code = "263"
    default_message = "Custom Field name can only contain letters, numbers, dashes or underscores"
    source = Source.DOCUMENTED


class CustomFieldExists(KartraError):
    """264: Custom Field already exists or not allowed"""

    type_code = "264"
    default_message = "Custom Field already exists or not allowed"
    source = Source.DOCUMENTED


class CustomFieldNameEmpty(KartraError):
    """265: Custom Field cannot be empty"""

    type_code = "265"
    default_message = "Custom Field cannot be empty"
    source = Source.DOCUMENTED


class RefundFailed(KartraError):
    """266: Refund has failed"""

    type_code = "266"
    default_message = "Refund has failed"
    source = Source.DOCUMENTED


class CancellationFailed(KartraError):
    """267: Cancellation has failed"""

    type_code = "267"
    default_message = "Cancellation has failed"
    source = Source.DOCUMENTED


class InvalidAmount(KartraError):
    """268: Invalid amount"""

    type_code = "268"
    default_message = "Invalid amount"
    source = Source.DOCUMENTED


class CustomFieldTypeInvalid(KartraError):
    """269: Custom Field type not valid"""

    type_code = "269"
    default_message = "Custom Field type not valid"
    source = Source.DOCUMENTED


class OptionsNotArray(KartraError):
    """270: Options not an array"""

    type_code = "270"
    default_message = "Options not an array"
    source = Source.DOCUMENTED


class WrongCustomFieldFormat(KartraError):
    """271: Wrong custom field format"""

    type_code = "271"
    default_message = "Wrong custom field format"
    source = Source.DOCUMENTED


class OptionEmpty(KartraError):
    """272: Option cannot be empty"""

    type_code = "272"
    default_message = "Option cannot be empty"
    source = Source.DOCUMENTED


class TooFewOptions(KartraError):
    """273: Options must have two or more elements"""

    type_code = "273"
    default_message = "Options must have two or more elements"
    source = Source.DOCUMENTED


class WrongStatus(KartraError):
    """274: Wrong status"""

    type_code = "274"
    default_message = "Wrong status"
    source = Source.DOCUMENTED


class SubscriptionNotUpdatable(KartraError):
    """275: Subscriptions cancelled or terminated cannot be updated"""

    type_code = "275"
    default_message = "Subscriptions cancelled or terminated cannot be updated"
    source = Source.DOCUMENTED


class QuantityOutOfRange(KartraError):
    """276: Quantity must be between 1 and 9,999"""

    type_code = "276"
    default_message = "Quantity must be between 1 and 9,999"
    source = Source.OBSERVED


class PriceOutOfRange(KartraError):
    """277: Price must be between 1.00 and 9,999.99"""

    type_code = "277"
    default_message = "Price must be between 1.00 and 9,999.99"
    source = Source.OBSERVED


class InvalidNumber(KartraError):
    """278: Invalid number"""

    type_code = "278"
    default_message = "Invalid number"
    source = Source.OBSERVED


class InvalidRecurringPeriod(KartraError):
    """280: Invalid recurring period"""

    type_code = "280"
    default_message = "Invalid recurring period"
    source = Source.OBSERVED


class RecurrenceNotChangeable(KartraError):
    """281: Recurrence cannot be changed"""

    type_code = "281"
    default_message = "Recurrence cannot be changed"
    source = Source.OBSERVED


class IncorrectInstallments(KartraError):
    """282: Incorrect number of installments"""

    type_code = "282"
    default_message = "Incorrect number of installments"
    source = Source.OBSERVED


class WrongProductOrPricePoint(KartraError):
    """283: Wrong product id or price point"""

    type_code = "283"
    default_message = "Wrong product id or price point"
    source = Source.OBSERVED


class PaypalNotModifiable(KartraError):
    """284: Paypal transactions cannot be modified"""

    type_code = "284"
    default_message = "Paypal transactions cannot be modified"
    source = Source.DOCUMENTED


class NoEditableParameters(KartraError):
    """285: No editable parameters for subscription"""

    type_code = "285"
    default_message = "No editable parameters for subscription"
    source = Source.OBSERVED


class TaxOutOfRange(KartraError):
    """290: Tax must be between 0 and 100"""

    type_code = "290"
    default_message = "Tax must be between 0 and 100"
    source = Source.OBSERVED


class TooManyRequests(KartraError):
    """429: Too many requests"""

    type_code = "429"
    default_message = "Too many requests"
    source = Source.DOCUMENTED
    status_code = 429


class LeadCommandNotFirst(KartraError):
    """901: Lead command must be the first action. Nothing done"""

    type_code = "901"
    default_message = "Lead command must be the first action. Nothing done"
    source = Source.INFERRED


ERROR_CLASSES: tuple[type[KartraError], ...] = (
    ConnectionNotSecure,
    ApiKeyEmpty,
    ApiKeyInvalid,
    AccountInactive,
    LeadIdentifierRequired,
    ListNameEmpty,
    UnsubscribeListNameEmpty,
    UnsubscribeListNotFound,
    TagNameEmpty,
    TagNotFound,
    UnassignTagNameEmpty,
    UnassignTagNotFound,
    PointsEmpty,
    RemovePointsEmpty,
    SequenceNotFound,
    UnsubscribeSequenceNotFound,
    LeadNotArray,
    ActionsNotArray,
    StepEmpty,
    SequenceNameEmpty,
    PointsNotNumber,
    RemovePointsNotNumber,
    StepNotAlphanumeric,
    StepNotFound,
    ListNotFound,
    ApiPasswordInvalid,
    GetLeadNotFound,
    GetLeadNotArray,
    AppIdEmpty,
    AppIdInvalid,
    AppAccountInactive,
    UnauthorizedIp,
    LeadNotFound,
    LeadAlreadyExists,
    LeadDeleted,
    TransactionNotFound,
    SubscriptionNotFound,
    TransactionNotLinked,
    OutsideRefundPeriod,
    AlreadyRefunded,
    SubscriptionAlreadyCancelled,
    NotRefundable,
    CmdRequired,
    CalendarNameEmpty,
    ClassNameEmpty,
    CalendarNotFound,
    ClassNotFound,
    NoCalendarSubscription,
    InvalidDateFormat,
    DateInPast,
    CmdNotPermitted,
    CustomFieldNameInvalid,
    CustomFieldExists,
    CustomFieldNameEmpty,
    RefundFailed,
    CancellationFailed,
    InvalidAmount,
    CustomFieldTypeInvalid,
    OptionsNotArray,
    WrongCustomFieldFormat,
    OptionEmpty,
    TooFewOptions,
    WrongStatus,
    SubscriptionNotUpdatable,
    QuantityOutOfRange,
    PriceOutOfRange,
    InvalidNumber,
    InvalidRecurringPeriod,
    RecurrenceNotChangeable,
    IncorrectInstallments,
    WrongProductOrPricePoint,
    PaypalNotModifiable,
    NoEditableParameters,
    TaxOutOfRange,
    TooManyRequests,
    LeadCommandNotFirst,
)


ERRORS_BY_TYPE: Mapping[str, type[KartraError]] = {cls.type_code: cls for cls in ERROR_CLASSES}


def error_for_type(type_code: str, message: str | None = None) -> KartraError:
    """The error instance for a Kartra ``type`` (an :class:`UnknownKartraError` if unknown)."""
    cls = ERRORS_BY_TYPE.get(type_code)
    if cls is None:
        return UnknownKartraError(type_code, message or "")
    return cls(message)
