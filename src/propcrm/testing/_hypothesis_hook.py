"""Hypothesis entry point: registers propcrm's strategies for ``st.from_type``, lazily.

Hypothesis calls :func:`_hypothesis_setup_hook` while it is itself being imported, in every
environment where propcrm is installed (``[project.entry-points.hypothesis]``), including projects
that never use propcrm. So the hook imports nothing from propcrm but this module: it registers
the types whose modules are imported already, and installs a post-import hook (a
:data:`sys.meta_path` finder) that registers every other type right after its module has
executed, whenever that happens. Importing hypothesis thus costs propcrm's users nothing, and
``st.from_type(Money)`` works whichever of the two a program imports first.

Each type is registered with a function that hypothesis calls only when ``st.from_type`` resolves
the type, and the strategy it returns is deferred: :mod:`propcrm.testing.strategies` is imported
only when a value is first drawn (it may be the module importing hypothesis at that moment).

A failure here becomes a :class:`RuntimeWarning`: it must never break ``import hypothesis`` or
the import of a propcrm module.
"""

from __future__ import annotations

import importlib
import importlib.abc
import sys
import warnings
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any

#: For each module that defines a type with a default strategy: its (class name, strategy
#: function of ``propcrm.testing.strategies``) pairs. Text, so that reading it imports nothing;
#: a test checks it against ``_registry.default_strategies()``, the list the strategies use.
TYPES_BY_MODULE: dict[str, tuple[tuple[str, str], ...]] = {
    "propcrm.affairs._decoration": (("DecorationAffair", "decoration_affairs"),),
    "propcrm.affairs._move_in": (
        ("MoveInPolicy", "move_in_policies"),
        ("MoveIn", "move_ins"),
    ),
    "propcrm.affairs._release": (
        ("OwnerConsent", "owner_consents"),
        ("GoodsRelease", "goods_releases"),
    ),
    "propcrm.analytics._behaviour": (("ComplaintRecord", "complaint_records"),),
    "propcrm.analytics._satisfaction": (
        ("SurveyResponse", "survey_responses"),
        ("SurveyRound", "survey_rounds"),
    ),
    "propcrm.assembly._ballots": (("BallotBox", "ballot_boxes"),),
    "propcrm.assembly._meetings": (("Meeting", "meetings"),),
    "propcrm.assembly._policy": (("AssemblyPolicy", "assembly_policies"),),
    "propcrm.billing._charges": (
        ("AreaCharge", "_area_charges"),
        ("FixedCharge", "_fixed_charges"),
        ("ParkingCharge", "_parking_charges"),
        ("MeteredCharge", "_metered_charges"),
        ("SpecialServiceCharge", "_special_service_charges"),
    ),
    "propcrm.billing._concessions": (
        ("Concession", "concessions"),
        ("ConcessionLine", "concession_lines"),
    ),
    "propcrm.billing._late_fee_terms": (("LateFeePolicy", "late_fee_policies"),),
    "propcrm.billing._metering": (
        ("TieredPrice", "tiered_prices"),
        ("MeterReading", "meter_readings"),
    ),
    "propcrm.billing._statements": (("Statement", "statements"),),
    "propcrm.billing._tariffs": (
        ("TariffVersion", "tariff_versions"),
        ("Tariff", "tariffs"),
    ),
    "propcrm.billing._units": (("UnitProfile", "unit_profiles"),),
    "propcrm.billing._usage": (("UnitUsage", "unit_usages"),),
    "propcrm.classification._classification": (("RuleSet", "rule_sets"),),
    "propcrm.classification._priorities": (("Priority", "priorities"),),
    "propcrm.classification._request_facts": (("RequestFacts", "request_facts"),),
    "propcrm.complaints._actors": (("Actor", "actors"),),
    "propcrm.complaints._policy": (("LifecyclePolicy", "lifecycle_policies"),),
    "propcrm.complaints._quotes": (("Quote", "quotes"),),
    "propcrm.complaints._requests": (("Request", "requests"),),
    "propcrm.complaints._steps": (("Intake", "intakes"),),
    "propcrm.contacts._log": (
        ("Contact", "contacts"),
        ("ContactLog", "contact_logs"),
    ),
    "propcrm.contacts._phone_book": (("PhoneBook", "phone_books"),),
    "propcrm.money._money": (("Money", "moneys"),),
    "propcrm.money._rates": (("Rate", "rates"),),
    "propcrm.notices._activities": (("ActivityRoster", "activity_rosters"),),
    "propcrm.notices._delivery": (("DeliveryLog", "delivery_logs"),),
    "propcrm.notices._notices": (("Notice", "notices"),),
    "propcrm.parking._leases": (("Lease", "parking_leases"),),
    "propcrm.parking._spaces": (("ParkingSpace", "parking_spaces"),),
    "propcrm.parking._waiting": (
        ("Application", "parking_applications"),
        ("WaitingList", "waiting_lists"),
        ("ParkingPolicy", "parking_policies"),
    ),
    "propcrm.parties._book": (("PartyBook", "party_books"),),
    "propcrm.parties._parties": (
        ("Person", "persons"),
        ("Organisation", "organisations"),
    ),
    "propcrm.parties._units": (("Unit", "units"),),
    "propcrm.prospects._leads": (("Lead", "leads"),),
    "propcrm.personal_data._identifiers": (
        ("MobileNumber", "mobile_numbers"),
        ("IdCardNumber", "id_card_numbers"),
        ("CreditCode", "credit_codes"),
        ("VehiclePlate", "vehicle_plates"),
        ("PersonName", "person_names"),
    ),
    "propcrm.questionnaires._questionnaires": (("Questionnaire", "questionnaires"),),
    "propcrm.questionnaires._surveys": (("Survey", "surveys"),),
    "propcrm.receivables._accounts": (("Account", "accounts"),),
    "propcrm.receivables._prepaid": (
        ("PrepaidBalance", "prepaid_balances"),
        ("PrepaidMovement", "prepaid_movements"),
    ),
    "propcrm.receivables._receipts": (("Receipt", "receipts"),),
    "propcrm.schedules._booking": (("Schedule", "schedules"),),
    "propcrm.schedules._values": (
        ("Appointment", "appointments"),
        ("Task", "tasks"),
    ),
    "propcrm.segmentation._subjects": (("SegmentSubject", "segment_subjects"),),
    "propcrm.sla._calendars": (("BusinessCalendar", "business_calendars"),),
    "propcrm.sla._working_hours": (("WeeklyHours", "weekly_hours"),),
    "propcrm.solutions._entries": (
        ("SolutionEntry", "solution_entries"),
        ("SolutionBase", "solution_bases"),
    ),
    "propcrm.time._periods": (("BillingPeriod", "billing_periods"),),
}


def _hypothesis_setup_hook() -> None:
    """Register the imported types now and the others as their modules are imported."""
    try:
        if not any(isinstance(finder, _RegisterAfterImport) for finder in sys.meta_path):
            sys.meta_path.insert(0, _RegisterAfterImport())
        for name in TYPES_BY_MODULE:
            module = sys.modules.get(name)
            # A module still executing (an import cycle that reached hypothesis) may not define
            # its classes yet; none of the listed modules imports hypothesis, so none is.
            if module is not None and not getattr(module.__spec__, "_initializing", False):
                _register(module)
    except Exception as exc:  # see the module docstring
        _warn(f"its post-import hook is not installed ({exc!r})")


class _RegisterAfterImport(importlib.abc.MetaPathFinder):
    """Gives each listed module a loader that registers its types once the module has run."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> ModuleSpec | None:
        if fullname not in TYPES_BY_MODULE:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec: ModuleSpec | None = finder.find_spec(fullname, path, target)
            if spec is not None:
                break
        else:
            return None
        try:
            if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                spec.loader = _RegisteringLoader(spec.loader)
        except Exception as exc:  # see the module docstring
            _warn(f"st.from_type will not know the types of {fullname} ({exc!r})")
        return spec


class _RegisteringLoader(importlib.abc.Loader):
    """Runs the real loader, then registers the module's types."""

    def __init__(self, loader: Any) -> None:
        self._loader = loader

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        created: ModuleType | None = self._loader.create_module(spec)
        return created

    def exec_module(self, module: ModuleType) -> None:
        # The module keeps the real loader (inspect, doctest and importlib.resources ask it for
        # source and data), so this wrapper is invisible once the import is done.
        module.__loader__ = self._loader
        if module.__spec__ is not None:
            module.__spec__.loader = self._loader
        self._loader.exec_module(module)
        _register(module)

    def __getattr__(self, name: str) -> Any:
        # Anything asked of the spec's loader during the import goes to the real one.
        return getattr(self._loader, name)


def _register(module: ModuleType) -> None:
    """Register the types ``module`` defines; a failure warns, each type on its own."""
    for class_name, strategy_name in TYPES_BY_MODULE.get(module.__name__, ()):
        try:
            from hypothesis import strategies as st  # noqa: PLC0415  # only once it is imported

            st.register_type_strategy(getattr(module, class_name), _lookup(strategy_name))
        except Exception as exc:  # see the module docstring
            _warn(f"st.from_type will not know {module.__name__}.{class_name} ({exc!r})")


def _lookup(strategy_name: str) -> Any:
    # A function, not a strategy: hypothesis materialises a registered strategy on the spot, which
    # would import propcrm.testing.strategies while the module that defines the type is still
    # being imported. A function is called only when ``st.from_type`` resolves the type.
    def build() -> Any:
        strategies = importlib.import_module("propcrm.testing.strategies")
        return getattr(strategies, strategy_name)()

    def lookup(_type: type) -> Any:
        from hypothesis import strategies as st  # noqa: PLC0415  # imported by now

        return st.deferred(build)

    return lookup


def _warn(what: str) -> None:
    warnings.warn(
        f"propcrm could not register its hypothesis strategies: {what}. Call "
        "propcrm.testing.strategies.register_type_strategies() to register them by hand.",
        RuntimeWarning,
        stacklevel=3,
    )
