"""Which strategy of :mod:`propcrm.testing.strategies` is each type's default.

Kept apart from the strategies themselves so the hypothesis entry point can read it without
importing the strategy module (see ``_hypothesis_hook``). Each name is a function of that module
that takes no arguments; the charge classes, which share the public ``charge_rules``, have
private ones.
"""

from __future__ import annotations

from propcrm.billing.accounts import Account
from propcrm.billing.charges import (
    AreaCharge,
    FixedCharge,
    MeteredCharge,
    ParkingCharge,
    SpecialServiceCharge,
)
from propcrm.billing.late_fees import LateFeePolicy
from propcrm.billing.metering import MeterReading, TieredPrice
from propcrm.billing.receipts import Receipt
from propcrm.billing.statements import Statement
from propcrm.billing.tariffs import Tariff, TariffVersion
from propcrm.billing.units import UnitProfile
from propcrm.billing.usage import UnitUsage
from propcrm.complaints.actors import Actor
from propcrm.complaints.policy import LifecyclePolicy
from propcrm.complaints.quotes import Quote
from propcrm.complaints.requests import Request
from propcrm.complaints.steps import Intake
from propcrm.money import Money, Rate
from propcrm.parties.behaviour import ComplaintRecord
from propcrm.parties.identifiers import (
    CreditCode,
    IdCardNumber,
    MobileNumber,
    PersonName,
    VehiclePlate,
)
from propcrm.parties.parties import Organisation, Person
from propcrm.parties.registry import PartyBook
from propcrm.parties.satisfaction import SurveyResponse, SurveyRound
from propcrm.parties.segmentation import SegmentSubject
from propcrm.parties.units import Unit
from propcrm.sla.calendars import BusinessCalendar, WeeklyHours
from propcrm.sla.classification import RuleSet
from propcrm.sla.priorities import Priority
from propcrm.sla.request_facts import RequestFacts
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
        (LateFeePolicy, "late_fee_policies"),
        (Receipt, "receipts"),
        (Account, "accounts"),
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
    ]
