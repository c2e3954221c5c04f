"""The one exception hierarchy of propcrm.

Every error the library raises on bad input derives from :class:`PropcrmError` *and* from the
nearest builtin, so callers can catch either ``PropcrmError`` (everything from this library) or
the builtin they already handle (``ValueError``, ``TypeError``, ``LookupError``)::

    PropcrmError
    ├── InvalidAmount (ValueError)            a float, NaN, infinity, non-decimal text, bool …
    │   └── AmountOutOfRange                   outside what an operation accepts (e.g. 大写金额)
    ├── CurrencyMismatch (TypeError)          arithmetic or ordering across currencies
    ├── UnknownCurrency (ValueError)          not an ISO 4217 code
    ├── UnsupportedCurrency (ValueError)      a valid code that an operation does not support
    ├── InvalidRate (ValueError)              a rate that is not a finite decimal, or negative
    ├── RateBasisMismatch (TypeError)         adding or ordering a daily and a yearly rate
    ├── InvalidAllocation (ValueError)        ratios that are empty, negative or all zero
    ├── InvalidMoneyText (ValueError)         text that does not parse as an amount in a locale
    ├── NaiveDatetime (ValueError)            a datetime without a time zone
    ├── UnknownTimeZone (ValueError)          not an IANA zone name
    ├── UnsupportedLocale (ValueError)        a locale propcrm has no translations for
    ├── InvalidPriority (ValueError)          a priority level or scale that breaks its rules
    │   └── UnknownPriority (LookupError)      a code or level the priority scale does not hold
    ├── ClassificationError (ValueError)
    │   ├── InvalidRequestFacts                facts of a request that cannot be classified
    │   ├── InvalidRule                        a predicate or rule that is malformed
    │   ├── InvalidRuleSet                     no default rule, a rule after it, a name used twice
    │   ├── UnknownRule (LookupError)          a rule name the rule set does not hold
    │   └── InvalidOverride                    an empty reason, or the same priority again
    ├── InvalidPeriod (ValueError)            a billing period that is not aligned or malformed
    ├── InvalidQuantity (ValueError)          an area, count or consumption that makes no sense
    │   └── InvalidMeterReading               a reading below the previous one, not a replacement
    ├── InvalidPolicy (ValueError)            a policy value outside its allowed range
    │   └── InvalidCalendar                    overlapping windows, two overrides for one date
    ├── InvalidDuration (ValueError)          business seconds that are a float, bool or negative
    ├── InvalidType (TypeError)               a value of a type a field or argument does not take
    │   └── NotADate                           a datetime, text or number where a date is needed
    ├── NotAnInstant (TypeError)              a date, text or number where a datetime is needed
    ├── NoWorkingTime (LookupError)           a calendar with no working time within its horizon
    ├── UnconfirmedHolidays (LookupError)     a year without a confirmed notice, policy strict
    │   └── HolidayDataMismatch                a confirmed year the installed holidays gets wrong
    ├── MissingCalendar (LookupError)         an SLA target on a calendar the caller did not supply
    ├── ClockError (ValueError)               an SLA clock event that the clock's state refuses
    │   ├── InvalidEvent                       no actor, no reason where one is needed, no targets
    │   ├── EventOutOfOrder                    a timestamp earlier than the request's last event
    │   ├── InvalidTransition                  a verb the state does not allow (resume when running)
    │   ├── ClockCancelled                     any event after the request or target was cancelled
    │   ├── NotPausable                        pausing a target that never pauses (agreed time)
    │   └── UnknownTarget (LookupError)        an event naming a target the request does not have
    ├── OutageError (ValueError)              a planned outage that breaks the notice rules
    │   ├── InvalidOutage                      ends before it starts, or announced after it starts
    │   └── OutageNoticeTooShort               announced less than the notice ahead, no emergency
    ├── InvalidIdentifier (ValueError)        personal data that fails its format or check
    │   ├── InvalidIdNumber                    not 18 characters, wrong check digit, no real date
    │   ├── InvalidMobileNumber                not a mainland mobile number
    │   ├── InvalidCreditCode                  not a GB 32100 unified social credit code
    │   ├── InvalidVehiclePlate                not an ordinary or new-energy plate
    │   └── InvalidPersonName                  empty, or with digits or symbols
    ├── MissingRevealPurpose (ValueError)     a clear value asked for without a stated purpose
    ├── InvalidConsentChange (ValueError)     out of order, or withdrawing what was not granted
    ├── InvalidSurveyResponse (ValueError)    a score outside its scale, a survey outside its round
    ├── PartyError (ValueError)               a party, unit, relation or record the model refuses
    │   ├── InvalidParty                       a party's fields break their rules
    │   ├── InvalidUnit                        a unit's fields or dated facts break their rules
    │   │   └── UnitNotReady                   a move-in, lease or decoration before handover
    │   ├── InvalidRelation                    a relation that is malformed (dates, share, role)
    │   ├── DuplicateRecord                    a party, unit or relation id used twice
    │   ├── UnknownRecord (LookupError)        no party, unit or relation with that id
    │   ├── RelationConflict                   a change that breaks an invariant of the relations
    │   │   ├── OverlappingRelations           exclusive relations in force on the same day
    │   │   ├── OwnershipExceeded              owners' shares of a unit above 100 % on some day
    │   │   ├── OwnershipGap                   a handed-over unit not fully owned on some day
    │   │   └── HistoryRewrite                 re-ending a relation, or ending it outside its span
    │   ├── InvalidArchiveRecord               an owner-archive record that breaks its rules
    │   ├── VisitRefused                       a visitor registration that breaks the gate rules
    │   │   └── FaceRecognitionOnly            face recognition with no alternative way in
    │   ├── MergeRefused                       a merge of the wrong pair, or with blocking conflicts
    │   └── AlreadyErased                      erasing a person whose data is already erased
    ├── AccountError (ValueError)             an account event that cannot be posted
    │   ├── DuplicateReference                 one reference posted again with other contents
    │   ├── UnknownStatement (LookupError)     an event naming a statement the account lacks
    │   ├── DisputeTooLate                     raised later than the policy's days before due
    │   └── RefusedChange                      an event that would break an account invariant
    ├── ForbiddenAction (ValueError)          a dunning action the law forbids (cutting utilities)
    ├── CollectionError (ValueError)          accounts an arrears or dunning report cannot combine
    │   ├── AsOfMismatch                       a balance taken on another day than the report's
    │   ├── DuplicateAccount                   one account (unit and billed party) given twice
    │   ├── CommunityMismatch                  an account of another community than the plan's
    │   └── UnknownAccount (LookupError)       an account a report or dunning result does not hold
    ├── SegmentationError (ValueError)        a segment rule, party description or history refused
    │   ├── InvalidSegmentRule                 a rule with no bound, inverted bounds, a bad value
    │   ├── InvalidSegmentSubject              a party description or portfolio frame at odds
    │   ├── InvalidBehaviourFact               a payment, purchase or survey fact that is impossible
    │   ├── DuplicateParty                     one party id twice in a portfolio
    │   ├── RfmNotComputed (LookupError)       quantile RFM asked of one party without its portfolio
    │   └── MembershipOutOfOrder               a history observed on a date not after its last
    ├── UnsupportedRule (TypeError)           a rule type the batch path cannot compile
    ├── MissingExtra (ImportError)            an optional extra (polars for the batch path) missing
    ├── MissingFacts (FileNotFoundError)      a folder without a portfolio's Parquet fact files
    ├── NotBillable (ValueError)              a unit billed for a period it has no billable day in
    ├── OverlappingVersions (ValueError)      two versions effective the same day, or one name twice
    ├── TariffError (ValueError)
    │   ├── TariffNoticeTooShort               takes effect too soon after its announcement
    │   └── NoTariffInForce (LookupError)      no version applies on a date
    ├── PriceListError (ValueError)
    │   ├── NoPriceListInForce (LookupError)   no price list applies on a date
    │   ├── UnknownPriceItem (LookupError)     a service code missing from the price list
    │   └── UnknownPriceListVersion (LookupError)  a version name no published list has
    ├── SerializationError (ValueError)       a value or document that cannot be stored or read
    │   ├── UnsupportedSchemaVersion           a schema version this release cannot read
    │   ├── UnknownTypeTag (LookupError)       a type tag or stored name nobody registered
    │   └── InvalidDocument                    malformed data, or data the value's rules refuse
    ├── StorageError (RuntimeError)           a store that cannot do what a unit of work asked
    │   ├── ConcurrencyConflict                a write at a stale version; nothing of it is written
    │   ├── RecordNotFound (LookupError)       no stream or record under that key
    │   ├── RecordExists (ValueError)          adding under a key that already holds a record
    │   ├── ConflictingReceipt (ValueError)    a bank reference posted with other contents
    │   ├── InvalidPageToken (ValueError)      a page token no query of this store gave
    │   ├── PostgresUnavailable                no PostgreSQL to test against (propcrm.testing)
    │   ├── SchemaOutOfDate                    a database whose schema is not this release's
    │   └── UnitOfWorkClosed                   a repository used outside its unit of work
    ├── RequestError (ValueError)             a service request or step the lifecycle refuses
    │   ├── InvalidRequest                     intake or step data that breaks its own rules
    │   ├── InvalidLifecycle                   a transition table or lifecycle policy at odds
    │   ├── IllegalTransition                  an action the request's state does not allow
    │   ├── ActionNotPermitted                 an actor whose role may not take the action
    │   ├── MissingStepData                    a step without the data its transition needs
    │   ├── UnexpectedStepData                 a step with data its transition does not take
    │   ├── GuardRefused                       a guard (有求必应, 有应必解, 有解必答) fails
    │   ├── StepOutOfOrder                     a step earlier than the request's last step
    │   ├── InvalidHistory                     a history that is not one request's from receipt
    │   ├── DispatchError                      nobody on the roster fits, or an unknown assignee
    │   ├── QuoteError                         a special-service quote that cannot be priced
    │   └── InvalidCarePlan                    a care schedule or survey round at odds
    ├── ContactError (ValueError)             a contact, callback or phone-book entry refused
    │   ├── InvalidContact                     a contact or callback whose fields break its rules
    │   ├── InvalidPhoneBook                   a phone-book entry at odds, or a number given twice
    │   └── UnknownCallback (LookupError)      a contact keeping a callback nobody promised
    ├── ScheduleError (ValueError)            an appointment, task or booking the calendars refuse
    │   ├── InvalidAppointment                 ends before it starts, no attendee, a bad reminder
    │   ├── BookingConflict                    double-booked, outside hours or too little travel gap
    │   ├── UnknownStaff (LookupError)         a staff id the roster does not hold
    │   └── UnknownAppointment (LookupError)   an appointment id the schedule does not hold
    ├── SolutionError (ValueError)            a solution entry or search the knowledge base refuses
    │   ├── InvalidSolution                    an entry or search whose fields break their rules
    │   ├── UnknownSolution (LookupError)      an entry id or version the base does not hold
    │   └── SolutionChangeRefused              revising a retired entry, approving one's own …
    ├── NoticeError (ValueError)              a notice, audience, delivery or activity refused
    │   ├── InvalidNotice                      a notice whose fields break their rules or its kind's
    │   ├── InvalidAudience                    an audience rule that is malformed or cannot resolve
    │   ├── DeliveryOutOfOrder                 a delivery status earlier than, or undoing, the last
    │   ├── RenderRefused                      text that does not fit its channel (SMS, template)
    │   └── SignUpRefused                      signing up late or twice, attendance unsigned
    ├── ParkingError (ValueError)             a parking space, lease or waiting-list entry refused
    │   ├── InvalidParking                     a space, lease, application or policy at odds
    │   └── LeaseConflict                      two leases of one space on the same day
    ├── ConcessionError (ValueError)          a concession at odds with its kind, or misapplied
    │   └── UnapprovedConcession               a concession without its approval
    ├── PrepaidError (ValueError)             a prepaid balance movement refused
    │   └── InsufficientPrepaid                a refund or settlement above what the balance holds
    ├── AssemblyError (ValueError)            a meeting, motion, proxy, ballot or tally refused
    │   ├── InvalidMeeting                     a meeting, motion or policy whose fields break rules
    │   ├── BallotRefused                      a ballot from a non-owner, early, for no such motion
    │   │   ├── LateBallot                     cast after the meeting's close instant
    │   │   └── DuplicateBallot                a second ballot of one owner, in person or by proxy
    │   ├── ProxyRefused                       an authorisation used twice, or by someone else
    │   └── MotionNotPassed                    a failed motion, or not a fee adjustment, as approval
    ├── QuestionnaireError (ValueError)       a questionnaire, audience or response refused
    │   ├── InvalidQuestionnaire               questions or an audience that break their rules
    │   ├── QuestionnaireFrozen                a change to a questionnaire version once published
    │   ├── InvalidAnswer                      outside its question's choices or scale
    │   └── ResponseRefused                    from outside the audience, or the wrong version
    │       ├── LateResponse                   submitted after the survey's close instant
    │       └── DuplicateResponse              a second response of one party, or an id reused
    ├── AffairError (ValueError)              a move-in, decoration or goods release refused
    │   ├── InvalidAffair                      an affair or record whose fields break their rules
    │   ├── IllegalAffairStep                  an action the affair's state does not allow
    │   ├── ChecklistIncomplete                a move-in completed with required items not done
    │   ├── HotWorkRefused                     hot work without an approved permit valid then
    │   ├── DepositExceeded                    withholding more of a deposit than was paid
    │   └── ReleaseRefused                     approving a goods release whose check fails
    ├── ProspectError (ValueError)            a lead, its follow-up or its conversion refused
    │   ├── InvalidLead                        a lead whose fields break their rules
    │   ├── IllegalLeadStep                    a stage the lead's current stage does not lead to
    │   └── UnitNotVacant                      converting a lead onto a unit that is not vacant
    ├── DocumentError (ValueError)            a fee notice, receipt or dunning letter not renderable
    │   └── TemplateError                      a template missing, malformed or failing to render
    ├── InvalidDataFile (ValueError)          a CSV or XLSX file its column mapping cannot read
    └── LawBroken (AssertionError)            a caller's function that breaks a law propcrm holds

Warnings, for results the library computes but that a caller must be able to tell apart, derive
from :class:`PropcrmWarning` (a ``UserWarning``), so ``warnings.filterwarnings`` can single out
one category or all of propcrm's::

    PropcrmWarning (UserWarning)
    └── ProvisionalHolidays                   a result that used a year without a known notice

Messages say what was wrong and what is allowed:

>>> from propcrm.money import Money
>>> Money(0.1)
Traceback (most recent call last):
...
propcrm.errors.InvalidAmount: amount 0.1 is a float; floats cannot hold fen exactly. Pass a str, \
int or Decimal instead, e.g. Money('0.10').
"""

from __future__ import annotations

__all__ = [
    "AccountError",
    "ActionNotPermitted",
    "AffairError",
    "AlreadyErased",
    "AmountOutOfRange",
    "AsOfMismatch",
    "AssemblyError",
    "BallotRefused",
    "BookingConflict",
    "ChecklistIncomplete",
    "ClassificationError",
    "ClockCancelled",
    "ClockError",
    "CollectionError",
    "CommunityMismatch",
    "ConcessionError",
    "ConcurrencyConflict",
    "ConflictingReceipt",
    "ContactError",
    "CurrencyMismatch",
    "DeliveryOutOfOrder",
    "DepositExceeded",
    "DispatchError",
    "DisputeTooLate",
    "DocumentError",
    "DuplicateAccount",
    "DuplicateBallot",
    "DuplicateParty",
    "DuplicateRecord",
    "DuplicateReference",
    "DuplicateResponse",
    "EventOutOfOrder",
    "FaceRecognitionOnly",
    "ForbiddenAction",
    "GuardRefused",
    "HistoryRewrite",
    "HolidayDataMismatch",
    "HotWorkRefused",
    "IllegalAffairStep",
    "IllegalLeadStep",
    "IllegalTransition",
    "InsufficientPrepaid",
    "InvalidAffair",
    "InvalidAllocation",
    "InvalidAmount",
    "InvalidAnswer",
    "InvalidAppointment",
    "InvalidArchiveRecord",
    "InvalidAudience",
    "InvalidBehaviourFact",
    "InvalidCalendar",
    "InvalidCarePlan",
    "InvalidConsentChange",
    "InvalidContact",
    "InvalidCreditCode",
    "InvalidDataFile",
    "InvalidDocument",
    "InvalidDuration",
    "InvalidEvent",
    "InvalidHistory",
    "InvalidIdNumber",
    "InvalidIdentifier",
    "InvalidLead",
    "InvalidLifecycle",
    "InvalidMeeting",
    "InvalidMeterReading",
    "InvalidMobileNumber",
    "InvalidMoneyText",
    "InvalidNotice",
    "InvalidOutage",
    "InvalidOverride",
    "InvalidPageToken",
    "InvalidParking",
    "InvalidParty",
    "InvalidPeriod",
    "InvalidPersonName",
    "InvalidPhoneBook",
    "InvalidPolicy",
    "InvalidPriority",
    "InvalidQuantity",
    "InvalidQuestionnaire",
    "InvalidRate",
    "InvalidRelation",
    "InvalidRequest",
    "InvalidRequestFacts",
    "InvalidRule",
    "InvalidRuleSet",
    "InvalidSegmentRule",
    "InvalidSegmentSubject",
    "InvalidSolution",
    "InvalidSurveyResponse",
    "InvalidTransition",
    "InvalidType",
    "InvalidUnit",
    "InvalidVehiclePlate",
    "LateBallot",
    "LateResponse",
    "LawBroken",
    "LeaseConflict",
    "MembershipOutOfOrder",
    "MergeRefused",
    "MissingCalendar",
    "MissingExtra",
    "MissingFacts",
    "MissingRevealPurpose",
    "MissingStepData",
    "MotionNotPassed",
    "NaiveDatetime",
    "NoPriceListInForce",
    "NoTariffInForce",
    "NoWorkingTime",
    "NotADate",
    "NotAnInstant",
    "NotBillable",
    "NotPausable",
    "NoticeError",
    "OutageError",
    "OutageNoticeTooShort",
    "OverlappingRelations",
    "OverlappingVersions",
    "OwnershipExceeded",
    "OwnershipGap",
    "ParkingError",
    "PartyError",
    "PostgresUnavailable",
    "PrepaidError",
    "PriceListError",
    "PropcrmError",
    "PropcrmWarning",
    "ProspectError",
    "ProvisionalHolidays",
    "ProxyRefused",
    "QuestionnaireError",
    "QuestionnaireFrozen",
    "QuoteError",
    "RateBasisMismatch",
    "RecordExists",
    "RecordNotFound",
    "RefusedChange",
    "RelationConflict",
    "ReleaseRefused",
    "RenderRefused",
    "RequestError",
    "ResponseRefused",
    "RfmNotComputed",
    "ScheduleError",
    "SchemaOutOfDate",
    "SegmentationError",
    "SerializationError",
    "SignUpRefused",
    "SolutionChangeRefused",
    "SolutionError",
    "StepOutOfOrder",
    "StorageError",
    "TariffError",
    "TariffNoticeTooShort",
    "TemplateError",
    "UnapprovedConcession",
    "UnconfirmedHolidays",
    "UnexpectedStepData",
    "UnitNotReady",
    "UnitNotVacant",
    "UnitOfWorkClosed",
    "UnknownAccount",
    "UnknownAppointment",
    "UnknownCallback",
    "UnknownCurrency",
    "UnknownPriceItem",
    "UnknownPriceListVersion",
    "UnknownPriority",
    "UnknownRecord",
    "UnknownRule",
    "UnknownSolution",
    "UnknownStaff",
    "UnknownStatement",
    "UnknownTarget",
    "UnknownTimeZone",
    "UnknownTypeTag",
    "UnsupportedCurrency",
    "UnsupportedLocale",
    "UnsupportedRule",
    "UnsupportedSchemaVersion",
    "VisitRefused",
]


class PropcrmError(Exception):
    """Base of every error propcrm raises on bad input or a refused change.

    Besides its message, an error carries its context as data: ``field`` (the argument or field
    that was wrong), ``value`` (what was given), ``allowed`` (what would have been accepted) and
    any further keyword it was raised with, in ``context``. Each is ``None`` where the raiser had
    nothing to say.

    >>> error = PropcrmError("rate 5 is above the ceiling", field="rate", value=5, allowed="<= 0.1")
    >>> error.field, error.value, error.allowed
    ('rate', 5, '<= 0.1')
    >>> str(error)
    'rate 5 is above the ceiling'
    """

    field: str | None
    value: object
    allowed: str | None
    context: dict[str, object]

    def __init__(
        self,
        *args: object,
        field: str | None = None,
        value: object = None,
        allowed: str | None = None,
        **context: object,
    ) -> None:
        super().__init__(*args)
        self.field = field
        self.value = value
        self.allowed = allowed
        self.context = context

    def __reduce__(self) -> tuple[object, ...]:
        # Keyword context survives pickling (multiprocessing, Dask workers); args alone would not.
        kwargs = {"field": self.field, "value": self.value, "allowed": self.allowed}
        return (_rebuild, (type(self), self.args, {**kwargs, **self.context}))


def _rebuild(
    cls: type[PropcrmError], args: tuple[object, ...], kwargs: dict[str, object]
) -> PropcrmError:
    return cls(*args, **kwargs)  # type: ignore[arg-type]


class InvalidType(PropcrmError, TypeError):
    """A value of a type the field or argument does not take (``field``, ``value``, ``allowed``)."""


class NotADate(InvalidType):
    """A datetime, text or number where a calendar date is required."""


class InvalidAmount(PropcrmError, ValueError):
    """An amount that is not an exact, finite decimal (a float, NaN, infinity, bad text)."""


class AmountOutOfRange(InvalidAmount):
    """A well-formed amount outside the range an operation accepts."""


class CurrencyMismatch(PropcrmError, TypeError):
    """Arithmetic or ordering between amounts of different currencies."""


class UnknownCurrency(PropcrmError, ValueError):
    """A currency code that is not a known ISO 4217 code."""


class UnsupportedCurrency(PropcrmError, ValueError):
    """A valid currency that an operation does not support (e.g. 大写金额 outside CNY)."""


class InvalidRate(PropcrmError, ValueError):
    """A rate that is not a finite, non-negative decimal."""


class RateBasisMismatch(PropcrmError, TypeError):
    """Adding or ordering rates quoted per different time units."""


class InvalidAllocation(PropcrmError, ValueError):
    """Allocation ratios or part counts that cannot divide an amount."""


class InvalidMoneyText(PropcrmError, ValueError):
    """Text that does not parse as an amount in the given locale."""


class NaiveDatetime(PropcrmError, ValueError):
    """A datetime without a time zone where an aware one is required."""


class UnknownTimeZone(PropcrmError, ValueError):
    """A time zone name that is not in the IANA database."""


class UnsupportedLocale(PropcrmError, ValueError):
    """A locale propcrm has no translations for; ``locale`` and ``supported`` say which.

    ``locale`` is the value as given (a str, a babel ``Locale`` or anything else) and
    ``supported`` the locale names that would have been accepted, e.g. ``('zh_CN', 'en_US')``.
    """

    def __init__(
        self,
        message: str,
        *,
        locale: object = None,
        supported: tuple[str, ...] = (),
        **context: object,
    ) -> None:
        super().__init__(
            message, field="locale", value=locale, allowed=" or ".join(supported), **context
        )
        self.locale = locale
        self.supported = supported

    def __reduce__(self) -> tuple[object, ...]:
        kwargs = {"locale": self.locale, "supported": self.supported, **self.context}
        return (_rebuild, (type(self), self.args, kwargs))


class InvalidPriority(PropcrmError, ValueError):
    """A priority level or priority scale that breaks its rules (bad code, duplicate rank …)."""


class UnknownPriority(InvalidPriority, LookupError):
    """A priority code or level that the priority scale does not hold."""


class ClassificationError(PropcrmError, ValueError):
    """A request, rule, rule set or override that priority classification refuses."""


class InvalidRequestFacts(ClassificationError):
    """Facts of a service request that are malformed (wrong type, empty where text is needed)."""


class InvalidRule(ClassificationError):
    """A classification predicate or rule that is malformed (empty keywords, bad dates …)."""


class InvalidRuleSet(ClassificationError):
    """A rule set without a default rule, with rules after it, or with a rule name used twice."""


class UnknownRule(ClassificationError, LookupError):
    """A rule name that the rule set does not hold."""


class InvalidOverride(ClassificationError):
    """A staff override without a reason, or to the priority the request already has."""


class InvalidPeriod(PropcrmError, ValueError):
    """A billing period that is malformed or not aligned to its kind."""


class InvalidQuantity(PropcrmError, ValueError):
    """An area, count, consumption or ratio that is out of its allowed range."""


class InvalidMeterReading(InvalidQuantity):
    """A meter reading below the previous one that is not marked as a meter replacement."""


class InvalidPolicy(PropcrmError, ValueError):
    """A policy value outside its allowed range."""


class InvalidCalendar(InvalidPolicy):
    """A business calendar that breaks its rules: overlapping windows, two overrides for a date."""


class InvalidDuration(PropcrmError, ValueError):
    """Business seconds that are not a non-negative ``int`` (a float, a bool, a negative number)."""


class NotAnInstant(PropcrmError, TypeError):
    """A value where an aware ``datetime`` is required that is not a ``datetime`` at all."""


class NoWorkingTime(PropcrmError, LookupError):
    """A business calendar that has no working time within the horizon an operation searches."""


class UnconfirmedHolidays(PropcrmError, LookupError):
    """A year whose holiday notice is not confirmed, used by a calendar under the strict policy."""


class HolidayDataMismatch(UnconfirmedHolidays):
    """A confirmed year whose data in the installed ``holidays`` differs from its notice.

    Raised under either policy: the notice is known, so the package's dates are known to be wrong
    (typically a ``holidays`` release older than the notice). ``year``, ``installed`` (the
    installed ``holidays`` version) and ``floor`` (the lowest version propcrm supports) say which.
    """

    def __init__(
        self,
        message: str,
        *,
        year: int | None = None,
        installed: str | None = None,
        floor: str | None = None,
    ) -> None:
        super().__init__(message)
        self.year = year
        self.installed = installed
        self.floor = floor


class MissingCalendar(PropcrmError, LookupError):
    """An SLA target on a calendar name that the supplied calendars do not hold."""


class ClockError(PropcrmError, ValueError):
    """An event that an SLA clock refuses in its current state."""


class InvalidEvent(ClockError):
    """A malformed SLA event: no actor, no reason where one is required, an empty target set."""


class EventOutOfOrder(ClockError):
    """An SLA event whose timestamp is earlier than the request's last event."""


class InvalidTransition(ClockError):
    """A clock verb that the clock's state does not allow (resume when running, stop twice …)."""


class ClockCancelled(ClockError):
    """Any event for a request or target that was cancelled."""


class NotPausable(ClockError):
    """Pausing a target that never pauses (an agreed time), or making a paused target one."""


class UnknownTarget(ClockError, LookupError):
    """An event naming a target kind that the request does not have."""


class OutageError(PropcrmError, ValueError):
    """A planned outage that breaks the outage rules."""


class InvalidOutage(OutageError):
    """A planned outage that ends before it starts, or is announced after it starts."""


class OutageNoticeTooShort(OutageError):
    """A planned outage announced less than the required notice ahead and not an emergency."""


class InvalidIdentifier(PropcrmError, ValueError):
    """Personal data (an ID number, mobile, credit code, plate, name) that fails its checks.

    Messages never repeat the clear value: they end up in logs (PIPL).
    """


class InvalidIdNumber(InvalidIdentifier):
    """Not a mainland resident ID: length, characters, check digit or birth date is wrong."""


class InvalidMobileNumber(InvalidIdentifier):
    """Not a valid mainland China mobile number."""


class InvalidCreditCode(InvalidIdentifier):
    """Not a valid unified social credit code (GB 32100)."""


class InvalidVehiclePlate(InvalidIdentifier):
    """Not a valid mainland ordinary or new-energy vehicle plate."""


class InvalidPersonName(InvalidIdentifier):
    """An empty person's name, or one with characters no name holds."""


class MissingRevealPurpose(PropcrmError, ValueError):
    """A clear personal value asked for without stating the purpose."""


class InvalidConsentChange(PropcrmError, ValueError):
    """A consent grant or withdrawal out of order, naive, or withdrawing nothing in force."""


class InvalidSurveyResponse(PropcrmError, ValueError):
    """A survey score outside its scale, or a response that does not fit its survey round."""


class PartyError(PropcrmError, ValueError):
    """A party, unit, relation, archive record, visit or merge that the parties model refuses."""


class InvalidParty(PartyError):
    """A person or organisation whose fields break their rules (a bad id, a missing name …)."""


class InvalidUnit(PartyError):
    """A unit whose fields or dated facts (sale, handover, occupancy, decoration) are malformed."""


class UnitNotReady(InvalidUnit):
    """A move-in, lease or decoration dated before the unit was handed over (交付)."""


class InvalidRelation(PartyError):
    """A relation that is malformed: an end not after its start, a share outside (0, 1] …."""


class DuplicateRecord(PartyError):
    """A party, unit or relation id that is already taken."""


class UnknownRecord(PartyError, LookupError):
    """No party, unit or relation with the id asked for."""


class RelationConflict(PartyError):
    """A change that would break an invariant of the dated relations; nothing is applied."""


class OverlappingRelations(RelationConflict):
    """Exclusive relations (two leases of a unit, two household heads …) in force on one day."""


class OwnershipExceeded(RelationConflict):
    """The owners' shares of a unit add up to more than 100 % on some day."""


class OwnershipGap(RelationConflict):
    """A handed-over unit that is not fully owned on some day (no owner, or shares below 100 %)."""


class HistoryRewrite(RelationConflict):
    """Ending a relation that has ended already, or on a day outside its span."""


class InvalidArchiveRecord(PartyError):
    """An owner-archive (业主档案) record that breaks its rules."""


class VisitRefused(PartyError):
    """A visitor registration that breaks the gate rules (window, host unit, identity check)."""


class FaceRecognitionOnly(VisitRefused):
    """A registration whose only way in is face recognition; an alternative must be recorded."""


class MergeRefused(PartyError):
    """A merge of the wrong pair (a party with itself …) or with conflicts that block it."""


class AlreadyErased(PartyError):
    """Erasing the personal data of a person whose data has been erased already."""


class OverlappingVersions(PropcrmError, ValueError):
    """Two versions of one tariff or price list effective the same day, or one name twice."""


class AccountError(PropcrmError, ValueError):
    """An event that cannot be posted to an account as it stands."""


class DuplicateReference(AccountError):
    """A reference already posted with other contents (amount, date, statement …)."""


class UnknownStatement(AccountError, LookupError):
    """An event naming a statement the account does not hold."""


class DisputeTooLate(AccountError):
    """A dispute raised later than the policy allows before the due date."""


class RefusedChange(AccountError):
    """An event that would break an account invariant; refused, never repaired silently."""


class ForbiddenAction(PropcrmError, ValueError):
    """A dunning action the law forbids, such as cutting water, power, heat or gas."""


class CollectionError(PropcrmError, ValueError):
    """Accounts that an arrears, dunning or collections report cannot combine."""


class AsOfMismatch(CollectionError):
    """An account balance taken on another day than the report's as-of date."""


class DuplicateAccount(CollectionError):
    """The same account (a unit and its billed party) given twice to one report."""


class CommunityMismatch(CollectionError):
    """An account whose statements belong to another community than the dunning plan's."""


class UnknownAccount(CollectionError, LookupError):
    """An account (a unit and its billed party) that a report or dunning result does not hold."""


class SegmentationError(PropcrmError, ValueError):
    """A segment rule, party description, behaviour fact or membership history that is refused."""


class InvalidSegmentRule(SegmentationError):
    """A segment rule that is malformed: no bound, inverted bounds, an empty set, a bad value."""


class InvalidSegmentSubject(SegmentationError):
    """A party description (or a portfolio frame) whose fields contradict each other."""


class InvalidBehaviourFact(SegmentationError):
    """A payment, purchase, complaint or satisfaction fact that makes no sense."""


class DuplicateParty(SegmentationError):
    """The same party id twice in one portfolio."""


class RfmNotComputed(SegmentationError, LookupError):
    """Quantile RFM scores asked of one party without the portfolio they are relative to."""


class MembershipOutOfOrder(SegmentationError):
    """A segment history observed on a date that is not after the date it was last observed."""


class UnsupportedRule(PropcrmError, TypeError):
    """A segment rule type that the batch path has no compiler for."""


class MissingExtra(PropcrmError, ImportError):
    """An optional extra not installed: ``propcrm[batch]`` (polars) or ``propcrm[sql]``."""


class MissingFacts(PropcrmError, FileNotFoundError):
    """A folder that lacks one of a portfolio's Parquet fact files (``statements.parquet``…)."""


class NotBillable(PropcrmError, ValueError):
    """A unit billed for a period in which its billable span has no day, or with nothing to price.

    A notice without lines would be empty: no charge of the tariff found a quantity (area,
    parking spaces, readings, orders) on the unit's billable days.
    """


class TariffError(PropcrmError, ValueError):
    """A tariff or tariff version that breaks a tariff rule."""


class TariffNoticeTooShort(TariffError):
    """A tariff version taking effect fewer than the minimum days after its announcement."""


class NoTariffInForce(TariffError, LookupError):
    """No version of a tariff is in force on the date asked for."""


class PriceListError(PropcrmError, ValueError):
    """A special-service price list or order that breaks a price-list rule."""


class NoPriceListInForce(PriceListError, LookupError):
    """No published price list is in force on the date asked for."""


class UnknownPriceItem(PriceListError, LookupError):
    """A service code that the price list in force does not contain."""


class UnknownPriceListVersion(PriceListError, LookupError):
    """A price-list version name (e.g. an accepted quote's) that no published version has."""


class RequestError(PropcrmError, ValueError):
    """A service request, or a step of its lifecycle, that the lifecycle refuses."""


class InvalidRequest(RequestError):
    """Intake or step data that breaks its own rules (an empty id, a score outside 1–5, …)."""


class InvalidLifecycle(RequestError):
    """A transition table or lifecycle policy whose parts do not fit together."""


class IllegalTransition(RequestError):
    """An action the request's state does not allow; the message names the allowed ones."""


class ActionNotPermitted(RequestError):
    """An actor whose role may not take the action; the message names the roles that may."""


class MissingStepData(RequestError):
    """A step without data its transition needs (a resolution note, a reason, a score)."""


class UnexpectedStepData(RequestError):
    """A step carrying data its transition does not take."""


class GuardRefused(RequestError):
    """A guard of the lifecycle fails: 有求必应, 有应必解, 有解必答 or a kind's own rule."""


class StepOutOfOrder(RequestError):
    """A step earlier than the last step of the request's history."""


class InvalidHistory(RequestError):
    """A history that does not begin with the receipt, or mixes requests."""


class DispatchError(RequestError):
    """Nobody on the roster covers the territory and skill, or an assignee not on it."""


class QuoteError(RequestError):
    """A special-service quote that cannot be priced, or an order that cannot be billed."""


class InvalidCarePlan(RequestError):
    """A scheduled-care plan, visit schedule or survey round whose inputs are at odds."""


class SerializationError(PropcrmError, ValueError):
    """A value or document that cannot be stored or read back; ``field`` is the failure's path."""


class UnsupportedSchemaVersion(SerializationError):
    """A document of a schema version this release cannot read (unknown, or newer)."""


class UnknownTypeTag(SerializationError, LookupError):
    """A type tag or stored name that no registered class or value answers to."""


class InvalidDocument(SerializationError):
    """Malformed data (a float for a decimal, a wrong shape) or data the value's rules refuse.

    ``field`` is the path of the failing field (``cap.percent``); the cause is chained and in
    ``context['error']``.
    """


class StorageError(PropcrmError, RuntimeError):
    """A store that cannot do what a unit of work asked (:mod:`propcrm.storage`)."""


class ConcurrencyConflict(StorageError):
    """A write at a stale version: another unit of work wrote first; nothing of this one is written.

    ``context`` names the ``stream`` (or record), the ``expected`` version and the ``actual`` one;
    read again and retry.
    """


class RecordNotFound(StorageError, LookupError):
    """No stream or record under the key asked for."""


class RecordExists(StorageError, ValueError):
    """Adding under a key that already holds a (different) record."""


class ConflictingReceipt(StorageError, ValueError):
    """A bank reference already posted in the community with another amount, date or unit.

    ``context`` holds both receipts (``posted``, ``refused``) and the accounts they are for.
    """


class InvalidPageToken(StorageError, ValueError):
    """A page token that no query of this store gave, or one of another query."""


class PostgresUnavailable(StorageError):
    """No PostgreSQL to test against: no ``PROPCRM_PG_URL``, and no server binaries to start one."""


class SchemaOutOfDate(StorageError):
    """A database whose propcrm schema is behind (or ahead of) this release's migrations.

    ``context`` holds the database's ``revision`` and the ``expected`` one; upgrade it with
    :func:`propcrm.storage.sql.upgrade`.
    """


class UnitOfWorkClosed(StorageError):
    """A repository used outside its unit of work's ``with`` block."""


class ContactError(PropcrmError, ValueError):
    """A contact, a promised callback or a phone-book entry that the contact log refuses."""


class InvalidContact(ContactError):
    """A contact or callback whose fields break its rules (a negative duration, no party)."""


class InvalidPhoneBook(ContactError):
    """A phone-book entry at odds with itself (no owner, ends before it starts), or a clash."""


class UnknownCallback(ContactError, LookupError):
    """A contact that says it keeps a callback no contact of the log promised."""


class AffairError(PropcrmError, ValueError):
    """A public-affair workflow (move-in, decoration, goods release) refuses a value or step."""


class InvalidAffair(AffairError):
    """An affair, checklist item, permit, violation or settlement whose fields break its rules."""


class IllegalAffairStep(AffairError):
    """An action the affair's state does not allow; ``allowed`` names the actions that are."""


class ChecklistIncomplete(AffairError):
    """A move-in completed while required checklist items are not done; ``missing`` names them."""


class HotWorkRefused(AffairError):
    """Hot work (动火作业) without an approved permit valid at that instant; see ``reasons``."""


class DepositExceeded(AffairError):
    """A deposit settlement that withholds more of a decoration deposit than was paid."""


class ReleaseRefused(AffairError):
    """Approving a goods release (搬迁放行) whose check fails; ``reasons`` holds the refusals."""


class ProspectError(PropcrmError, ValueError):
    """A lead (潜在客户), a follow-up or a conversion that the prospects model refuses."""


class InvalidLead(ProspectError):
    """A lead whose fields break their rules (no way to reach the contact, a bad source)."""


class IllegalLeadStep(ProspectError):
    """A stage the lead's current stage does not lead to (a lost lead converted, a step back)."""


class UnitNotVacant(ProspectError):
    """Converting a lead onto a unit that is not vacant (occupied, let, or not handed over)."""


class ScheduleError(PropcrmError, ValueError):
    """An appointment, task, reminder or booking that the staff calendars refuse."""


class InvalidAppointment(ScheduleError):
    """An appointment or task whose fields break its rules (ends before it starts, no one)."""


class BookingConflict(ScheduleError):
    """A booking that clashes: double-booked, outside working hours, too little travel time.

    ``conflicts`` (the :class:`~propcrm.schedules.Conflict` values, each explaining itself) and
    ``proposals`` (the next free slots) are in ``context``.
    """


class UnknownStaff(ScheduleError, LookupError):
    """A staff id that the roster of the schedule does not hold."""


class UnknownAppointment(ScheduleError, LookupError):
    """An appointment id that the schedule does not hold."""


class SolutionError(PropcrmError, ValueError):
    """A solution entry, a change to the solution base or a search that the base refuses."""


class InvalidSolution(SolutionError):
    """An entry or search whose fields break their rules (an empty fix, a version below 1, …)."""


class UnknownSolution(SolutionError, LookupError):
    """An entry id, or a version of one, that the solution base does not hold."""


class SolutionChangeRefused(SolutionError):
    """A change the base's rules refuse: revising a retired entry, approving one's own."""


class NoticeError(PropcrmError, ValueError):
    """A notice, its audience, a delivery record or a community activity that is refused."""


class InvalidNotice(NoticeError):
    """A notice whose fields break their rules or its kind's (an outage notice without outage)."""


class InvalidAudience(NoticeError):
    """An audience rule that is malformed, or that cannot be resolved with what was given."""


class DeliveryOutOfOrder(NoticeError):
    """A delivery status earlier than the recipient's last one, or one that would undo it."""


class RenderRefused(NoticeError):
    """Text that does not fit its channel: an SMS over its parts, a template field too long."""


class SignUpRefused(NoticeError):
    """A sign-up after closing or made twice, or attendance for someone not signed up."""


class AssemblyError(PropcrmError, ValueError):
    """A meeting, motion, proxy, ballot or tally of the owners' assembly that is refused."""


class InvalidMeeting(AssemblyError):
    """A meeting, motion, electorate or assembly policy whose fields break their rules."""


class BallotRefused(AssemblyError):
    """A ballot the box refuses: from a non-owner, before the opening, for no such motion."""


class LateBallot(BallotRefused):
    """A ballot cast after the meeting's close instant."""


class DuplicateBallot(BallotRefused):
    """A second ballot of one owner on one motion in the same way (in person, or by proxy)."""


class ProxyRefused(AssemblyError):
    """A proxy whose written authorisation is missing, used twice, or used by someone else."""


class MotionNotPassed(AssemblyError):
    """A tally turned into an approval although its motion failed or is no fee adjustment."""


class QuestionnaireError(PropcrmError, ValueError):
    """A questionnaire, its audience or a response that is refused."""


class InvalidQuestionnaire(QuestionnaireError):
    """Questions, choices or an audience that break their rules (no choices, a bad scale)."""


class QuestionnaireFrozen(QuestionnaireError):
    """A change to a questionnaire version that is published: revise it into a new version."""


class InvalidAnswer(QuestionnaireError):
    """An answer outside its question's choices or scale, missing though required, or unknown."""


class ResponseRefused(QuestionnaireError):
    """A response a survey refuses: from outside its audience, too early, for another version."""


class LateResponse(ResponseRefused):
    """A response submitted after the survey's close instant."""


class DuplicateResponse(ResponseRefused):
    """A party's response beyond what the policy allows, or a response id used twice."""


class DocumentError(PropcrmError, ValueError):
    """A fee notice, receipt or dunning letter that cannot be built from what it was given.

    For example a receipt not posted to the account it is printed for, or a dunning letter for
    a decision that is not a step due.
    """


class TemplateError(DocumentError):
    """A document template that is missing, does not parse, or fails while rendering.

    ``context`` names the ``template`` and the folder searched; the cause is chained.
    """


class InvalidDataFile(PropcrmError, ValueError):
    """A CSV or XLSX file that its column mapping cannot read at all.

    An undecodable encoding, a missing header or a mapped column the header lacks; a bad row is
    no such error but a row error in the result, with its line number and reason.
    """


class LawBroken(PropcrmError, AssertionError):
    """A caller's function that breaks a law propcrm holds (:mod:`propcrm.testing.laws`).

    Raised with the counterexample hypothesis shrank to: ``law`` (a ``Law``), ``inputs`` (the
    arguments, by name), ``got`` (what the function gave) and ``expected`` (what propcrm gives
    for the same inputs), all in ``context``. An ``AssertionError``, so test runners report it
    as a failed test, not as an error in the test.
    """


class PropcrmWarning(UserWarning):
    """Base of every warning propcrm emits: a result computed, but with something to know."""


class ProvisionalHolidays(PropcrmWarning):
    """A result that depends on a year whose holiday notice is unknown (provisional policy).

    Emitted once per calendar and year, by the call whose result first depends on that year;
    ``calendar``, ``provider`` and ``year`` say which.
    """

    def __init__(
        self,
        message: str,
        *,
        calendar: str | None = None,
        provider: str | None = None,
        year: int | None = None,
    ) -> None:
        super().__init__(message)
        self.calendar = calendar
        self.provider = provider
        self.year = year


class ParkingError(PropcrmError, ValueError):
    """A parking space, lease, waiting-list application or allocation policy that is refused."""


class InvalidParking(ParkingError):
    """A space, lease, application or policy whose fields break their rules.

    A sold space leased, a lease ending before it starts, an application given twice.
    """


class LeaseConflict(ParkingError):
    """Two leases of one parking space in force on the same day."""


class ConcessionError(PropcrmError, ValueError):
    """A concession (a vacancy discount, prepayment discount, reduction) the billing run refuses."""


class UnapprovedConcession(ConcessionError):
    """A concession given to a billing run without the approval that makes it a policy."""


class PrepaidError(PropcrmError, ValueError):
    """A movement of a prepaid balance (a top-up, a settlement, a refund) that is refused."""


class InsufficientPrepaid(PrepaidError):
    """A refund (or settlement) larger than what the prepaid balance holds; never negative."""
