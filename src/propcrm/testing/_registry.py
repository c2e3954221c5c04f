"""Which strategy of :mod:`propcrm.testing.strategies` is each type's default.

Kept apart from the strategies themselves so the hypothesis entry point can read it without
importing the strategy module (see ``_hypothesis_hook``). Each name is a function of that module
that takes no arguments; the charge classes, which share the public ``charge_rules``, have
private ones.
"""

from __future__ import annotations

from propcrm.affairs import DecorationAffair, GoodsRelease, MoveIn, MoveInPolicy, OwnerConsent
from propcrm.analytics import ComplaintRecord, SurveyResponse, SurveyRound
from propcrm.assembly import AssemblyPolicy, BallotBox, Meeting
from propcrm.billing._charges import (
    AreaCharge,
    FixedCharge,
    MeteredCharge,
    ParkingCharge,
    SpecialServiceCharge,
)
from propcrm.billing._concessions import Concession, ConcessionLine
from propcrm.billing._late_fee_terms import LateFeePolicy
from propcrm.billing._metering import (
    MeterReading,
    TieredPrice,
)
from propcrm.billing._statements import Statement
from propcrm.billing._tariffs import (
    Tariff,
    TariffVersion,
)
from propcrm.billing._units import UnitProfile
from propcrm.billing._usage import UnitUsage
from propcrm.classification import Priority, RequestFacts, RuleSet
from propcrm.complaints._actors import Actor
from propcrm.complaints._policy import LifecyclePolicy
from propcrm.complaints._quotes import Quote
from propcrm.complaints._requests import Request
from propcrm.complaints._steps import Intake
from propcrm.contacts import Contact, ContactLog, PhoneBook
from propcrm.money import (
    Money,
    Rate,
)
from propcrm.notices import ActivityRoster, DeliveryLog, Notice
from propcrm.parking import Application, Lease, ParkingPolicy, ParkingSpace, WaitingList
from propcrm.parties._book import PartyBook
from propcrm.parties._parties import Organisation, Person
from propcrm.parties._units import Unit
from propcrm.personal_data._identifiers import (
    CreditCode,
    IdCardNumber,
    MobileNumber,
    PersonName,
    VehiclePlate,
)
from propcrm.prospects import Lead
from propcrm.questionnaires import Questionnaire, Survey
from propcrm.receivables._accounts import Account
from propcrm.receivables._prepaid import PrepaidBalance, PrepaidMovement
from propcrm.receivables._receipts import Receipt
from propcrm.schedules import Appointment, Schedule, Task
from propcrm.segmentation import SegmentSubject
from propcrm.sla import BusinessCalendar, WeeklyHours
from propcrm.solutions import SolutionBase, SolutionEntry
from propcrm.time import BillingPeriod


def default_strategies() -> list[tuple[type, str]]:
    """Pairs of (type, name of its default strategy function)."""
    return [
        (Money, "moneys"),
        (Rate, "rates"),
        (BillingPeriod, "billing_periods"),
        (UnitProfile, "unit_profiles"),
        (UnitUsage, "unit_usages"),
        (TieredPrice, "tiered_prices"),
        (MeterReading, "meter_readings"),
        (AreaCharge, "_area_charges"),
        (FixedCharge, "_fixed_charges"),
        (ParkingCharge, "_parking_charges"),
        (MeteredCharge, "_metered_charges"),
        (SpecialServiceCharge, "_special_service_charges"),
        (TariffVersion, "tariff_versions"),
        (Tariff, "tariffs"),
        (Statement, "statements"),
        (Concession, "concessions"),
        (ConcessionLine, "concession_lines"),
        (LateFeePolicy, "late_fee_policies"),
        (Receipt, "receipts"),
        (Account, "accounts"),
        (PrepaidBalance, "prepaid_balances"),
        (PrepaidMovement, "prepaid_movements"),
        (Priority, "priorities"),
        (RequestFacts, "request_facts"),
        (RuleSet, "rule_sets"),
        (BusinessCalendar, "business_calendars"),
        (WeeklyHours, "weekly_hours"),
        (Person, "persons"),
        (Organisation, "organisations"),
        (Unit, "units"),
        (PartyBook, "party_books"),
        (MobileNumber, "mobile_numbers"),
        (IdCardNumber, "id_card_numbers"),
        (CreditCode, "credit_codes"),
        (VehiclePlate, "vehicle_plates"),
        (PersonName, "person_names"),
        (SurveyResponse, "survey_responses"),
        (SurveyRound, "survey_rounds"),
        (SegmentSubject, "segment_subjects"),
        (ComplaintRecord, "complaint_records"),
        (Intake, "intakes"),
        (Actor, "actors"),
        (Quote, "quotes"),
        (LifecyclePolicy, "lifecycle_policies"),
        (Request, "requests"),
        (Contact, "contacts"),
        (ContactLog, "contact_logs"),
        (PhoneBook, "phone_books"),
        (Appointment, "appointments"),
        (Schedule, "schedules"),
        (Task, "tasks"),
        (SolutionEntry, "solution_entries"),
        (SolutionBase, "solution_bases"),
        (Notice, "notices"),
        (DeliveryLog, "delivery_logs"),
        (ActivityRoster, "activity_rosters"),
        (ParkingSpace, "parking_spaces"),
        (Lease, "parking_leases"),
        (Application, "parking_applications"),
        (WaitingList, "waiting_lists"),
        (ParkingPolicy, "parking_policies"),
        (AssemblyPolicy, "assembly_policies"),
        (Meeting, "meetings"),
        (BallotBox, "ballot_boxes"),
        (MoveInPolicy, "move_in_policies"),
        (MoveIn, "move_ins"),
        (DecorationAffair, "decoration_affairs"),
        (OwnerConsent, "owner_consents"),
        (GoodsRelease, "goods_releases"),
        (Lead, "leads"),
        (Questionnaire, "questionnaires"),
        (Survey, "surveys"),
    ]
