"""Duplicate parties: candidate pairs with their reasons, and merges as plans applied in one step.

:func:`find_duplicates` pairs parties that share a normalised mobile number, an ID number (found
through a keyed hash, HMAC-SHA256 under a key the caller keeps, so the comparison and the
evidence never hold the clear number), a name and a unit, or an organisation's credit code. Each
candidate lists every reason it was found for, with masked evidence.

A merge is a :class:`MergePlan` first (:func:`plan_merge`): which value of each field survives
(the survivor's unless it has none, or the caller prefers the duplicate's), which relations move
to the survivor, and which conflicts remain — relation rules the move would break (both were
owners of the same flat at the same time), which block the merge until resolved, and fields on
which the two disagree, which do not. :func:`apply_merge` applies a plan in one step and records
it in the book's journal. Nothing is deleted: the duplicate stays in the book with its own data
and ``merged_into`` set, and every relation keeps its id.

>>> import pendulum
>>> from propcrm.personal_data import MobileNumber, PersonName
>>> from propcrm.parties import PartyBook, Person
>>> book = PartyBook(
...     parties=[
...         Person(party_id="P1", name=PersonName("张三丰"), mobile=MobileNumber("13812345678")),
...         Person(
...             party_id="P7", name=PersonName("张三丰"), mobile=MobileNumber("+86 138 1234 5678")
...         ),
...     ]
... )
>>> [
...     (c.first, c.second, [m.describe() for m in c.matches])
...     for c in find_duplicates(book, key=b"a-secret-key-of-the-community")
... ]
[('P1', 'P7', ['手机号相同：138****5678'])]
>>> plan = plan_merge(book, "P1", "P7")
>>> plan.blocked, plan.moving
(False, ())
>>> merged = apply_merge(
...     book,
...     plan,
...     at=pendulum.datetime(2026, 11, 24, 9, tz="Asia/Shanghai"),
...     reference="dedup ticket 42",
... )
>>> merged.party("P7").merged_into, merged.resolve("P7").party_id
('P1', 'P1')
"""

from __future__ import annotations

import datetime
import enum
import itertools
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from typing import Any

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, gettext, ngettext, pgettext
from propcrm.errors import InvalidType, MergeRefused
from propcrm.parties._book import PartyBook
from propcrm.parties._book_changes import derived_book
from propcrm.parties._book_rules import target_conflicts
from propcrm.parties._journal import BookOperation, JournalEntry
from propcrm.parties._parties import Organisation, Party, Person, field_label
from propcrm.parties._relations import (
    UNIT_RELATION_TYPES,
    AgencyContact,
    CommitteeMember,
    Conflict,
    Relation,
)
from propcrm.personal_data import PersonName
from propcrm.time import aware

__all__ = [
    "DuplicateCandidate",
    "DuplicateMatch",
    "FieldDecision",
    "FieldSource",
    "MatchReason",
    "MergePlan",
    "MergeRecord",
    "apply_merge",
    "find_duplicates",
    "plan_merge",
]

_FINGERPRINT_SHOWN = 12
"""Hex digits of a keyed hash shown as evidence (enough to tell two apart, nothing to reverse)."""


class MatchReason(enum.Enum):
    """Why two parties may be one."""

    SAME_MOBILE = "same_mobile"
    SAME_ID_NUMBER = "same_id_number"
    SAME_NAME_AND_UNIT = "same_name_and_unit"
    SAME_CREDIT_CODE = "same_credit_code"


@attrs.frozen
class DuplicateMatch:
    """One reason for a candidate pair, with masked evidence."""

    reason: MatchReason
    evidence: str

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The reason and its (masked) evidence in one line.

        >>> match = DuplicateMatch(MatchReason.SAME_MOBILE, "138****5678")
        >>> match.describe(), match.describe("en_US")
        ('手机号相同：138****5678', 'same mobile number 138****5678')
        """
        # One whole message per reason, so that a translation may place the evidence.
        match self.reason:
            case MatchReason.SAME_MOBILE:
                return gettext(
                    "same mobile number %(evidence)s", locale=locale, evidence=self.evidence
                )
            case MatchReason.SAME_ID_NUMBER:
                return gettext(
                    "same ID number (keyed hash) %(evidence)s",
                    locale=locale,
                    evidence=self.evidence,
                )
            case MatchReason.SAME_NAME_AND_UNIT:
                return gettext(
                    "same name and unit %(evidence)s", locale=locale, evidence=self.evidence
                )
            case MatchReason.SAME_CREDIT_CODE:
                return gettext(
                    "same credit code %(evidence)s", locale=locale, evidence=self.evidence
                )


@attrs.frozen
class DuplicateCandidate:
    """Two parties (``first`` < ``second``) that may be one, and every reason found."""

    first: str
    second: str
    matches: tuple[DuplicateMatch, ...]

    @property
    def reasons(self) -> frozenset[MatchReason]:
        """The kinds of evidence found."""
        return frozenset(m.reason for m in self.matches)


_KEY_PROBE = PersonName("key probe")


def _check_book(book: object) -> None:
    if not isinstance(book, PartyBook):
        raise InvalidType(
            f"book must be a PartyBook, got {type(book).__name__} {book!r}.",
            field="book",
            value=book,
            allowed="PartyBook",
        )


def _live(party: Party) -> bool:
    return party.merged_into is None and not (isinstance(party, Person) and party.erased)


def find_duplicates(book: PartyBook, *, key: bytes) -> tuple[DuplicateCandidate, ...]:
    """Candidate pairs among the live parties of ``book`` (not merged, not erased).

    ``key`` is the secret for the keyed hash of ID numbers (at least 16 bytes; keep it outside
    the data). Candidates come sorted by party ids, reasons in the order of
    :class:`MatchReason`.
    """
    _check_book(book)
    # The key's rule lives with the identifiers: one fingerprint of a fixed value checks it, so
    # a bad key is refused even in a book that holds no ID number to hash.
    _KEY_PROBE.fingerprint(key)
    buckets: dict[tuple[MatchReason, Hashable], list[str]] = defaultdict(list)
    evidence: dict[tuple[MatchReason, Hashable], str] = {}

    def put(reason: MatchReason, value: Hashable, party_id: str, shown: str) -> None:
        buckets[reason, value].append(party_id)
        evidence[reason, value] = shown

    for party in book.parties:
        if not _live(party):
            continue
        pid = party.party_id
        if isinstance(party, Organisation):
            if party.credit_code is not None:
                put(MatchReason.SAME_CREDIT_CODE, party.credit_code, pid, party.credit_code.masked)
            continue
        if party.mobile is not None:
            put(MatchReason.SAME_MOBILE, party.mobile, pid, party.mobile.masked)
        if party.id_number is not None:
            digest = party.id_number.fingerprint(key)
            put(MatchReason.SAME_ID_NUMBER, digest, pid, digest[:_FINGERPRINT_SHOWN])
        if party.name is not None:
            units = {r.target for r in book.relations_of(pid) if isinstance(r, UNIT_RELATION_TYPES)}
            for unit_id in units:
                put(
                    MatchReason.SAME_NAME_AND_UNIT,
                    (party.name, unit_id),
                    pid,
                    f"{party.name.masked} @ {unit_id}",
                )
    pairs: dict[tuple[str, str], list[DuplicateMatch]] = defaultdict(list)
    for (reason, value), members in buckets.items():
        for first, second in itertools.combinations(sorted(set(members)), 2):
            pairs[first, second].append(DuplicateMatch(reason, evidence[reason, value]))
    order = list(MatchReason)
    return tuple(
        DuplicateCandidate(
            first, second, tuple(sorted(matches, key=lambda m: (order.index(m.reason), m.evidence)))
        )
        for (first, second), matches in sorted(pairs.items())
    )


# -- merge plans ------------------------------------------------------------------------------


class FieldSource(enum.Enum):
    """Whose value of a field survives a merge; ``label(locale)`` says it in words."""

    SURVIVOR = "survivor"
    DUPLICATE = "duplicate"
    BOTH = "both"
    """Both parties' values are kept (plates: the union)."""

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """Whose value, e.g. ``'保留方的值'`` (zh_CN) or ``'survivor'`` (en_US)."""
        # One literal per member, so that extraction finds every message.
        match self:
            case FieldSource.SURVIVOR:
                return pgettext("merge field source", "survivor", locale=locale)
            case FieldSource.DUPLICATE:
                return pgettext("merge field source", "duplicate", locale=locale)
            case FieldSource.BOTH:
                return pgettext("merge field source", "both", locale=locale)


@attrs.frozen
class FieldDecision:
    """Which party's value of ``field`` survives, and whether the two disagreed.

    The values themselves are not copied here: both stay in the book (the duplicate keeps its
    own record), so a plan or a merge record never holds personal data of its own.
    """

    field: str
    source: FieldSource
    conflict: bool


_PERSON_FIELDS = ("name", "mobile", "id_number", "gender", "birth_date")
_ORGANISATION_FIELDS = ("name", "kind", "credit_code")


@attrs.frozen
class MergePlan:
    """What a merge of ``duplicate`` into ``survivor`` would do, before it is done.

    Attributes:
        fields: the decision for each field; ``conflict`` where both held different values.
        moving: the ids of the relations that move to the survivor (held by the duplicate, or,
            for an organisation, naming it as their target).
        conflicts: relation rules the move would break; while any remain the plan is
            ``blocked`` and :func:`apply_merge` refuses it.
    """

    survivor: str
    duplicate: str
    fields: tuple[FieldDecision, ...]
    moving: tuple[str, ...]
    conflicts: tuple[Conflict, ...]

    @property
    def blocked(self) -> bool:
        """Whether relation conflicts remain (resolve them, then plan again)."""
        return bool(self.conflicts)

    @property
    def field_conflicts(self) -> tuple[FieldDecision, ...]:
        """Fields on which the two parties disagreed (the chosen value survives)."""
        return tuple(f for f in self.fields if f.conflict)

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The plan in a few lines: each field's source, the relations moving, what blocks it."""
        lines = [
            gettext(
                "merge %(duplicate)s into %(survivor)s",
                locale=locale,
                duplicate=self.duplicate,
                survivor=self.survivor,
            )
        ]
        # Only an organisation's plan has a "kind" field; its "name" is a 名称, not a 姓名.
        organisation = any(f.field == "kind" for f in self.fields)
        for f in self.fields:
            values = {
                "field": field_label(f.field, locale, organisation=organisation),
                "source": f.source.label(locale),
            }
            if f.conflict:
                lines.append(
                    gettext("  %(field)s: %(source)s (the two differed)", locale=locale, **values)
                )
            else:
                lines.append(gettext("  %(field)s: %(source)s", locale=locale, **values))
        if self.moving:
            moving = pgettext("list separator", ", ", locale=locale).join(self.moving)
            lines.append(
                gettext("  relations moving: %(relations)s", locale=locale, relations=moving)
            )
        else:
            lines.append(gettext("  relations moving: none", locale=locale))
        lines.extend(
            gettext("  blocking: %(conflict)s", locale=locale, conflict=c.describe(locale))
            for c in self.conflicts
        )
        return "\n".join(lines)


@attrs.frozen
class MergeRecord:
    """A merge as applied: who into whom, when, why, which fields and relations it moved."""

    survivor: str
    duplicate: str
    at: pendulum.DateTime
    reference: str
    fields: tuple[FieldDecision, ...]
    moved: tuple[str, ...]

    def describe(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """One line for audit lists."""
        return ngettext(
            "%(at)s: merged %(duplicate)s into %(survivor)s (%(reference)s); "
            "%(num)d relation moved",
            "%(at)s: merged %(duplicate)s into %(survivor)s (%(reference)s); "
            "%(num)d relations moved",
            len(self.moved),
            locale=locale,
            at=self.at.isoformat(),
            duplicate=self.duplicate,
            survivor=self.survivor,
            reference=self.reference,
        )


def _empty(value: object) -> bool:
    return value is None or value == ()


def _check_pair(book: PartyBook, survivor: str, duplicate: str) -> tuple[Party, Party]:
    _check_book(book)
    kept, gone = book.party(survivor), book.party(duplicate)
    if survivor == duplicate:
        raise MergeRefused(
            f"party {survivor} cannot be merged with itself.",
            survivor=survivor,
            duplicate=duplicate,
        )
    if type(kept) is not type(gone):
        raise MergeRefused(
            f"{survivor} is a {type(kept).__name__.lower()} and {duplicate} a "
            f"{type(gone).__name__.lower()}; only parties of one kind merge.",
            survivor=survivor,
            duplicate=duplicate,
        )
    for party in (kept, gone):
        if party.merged_into is not None:
            raise MergeRefused(
                f"party {party.party_id} was merged into {party.merged_into} already; merge "
                "that party instead.",
                party_id=party.party_id,
                merged_into=party.merged_into,
            )
        if isinstance(party, Person) and party.erased is not None:
            raise MergeRefused(
                f"party {party.party_id} has had its personal data erased; it cannot be merged.",
                party_id=party.party_id,
            )
    return kept, gone


def _decisions(
    kept: Party, gone: Party, prefer: Mapping[str, FieldSource]
) -> tuple[FieldDecision, ...]:
    names = _PERSON_FIELDS if isinstance(kept, Person) else _ORGANISATION_FIELDS
    if not isinstance(prefer, Mapping):
        raise InvalidType(
            f"prefer must be a mapping of field names to FieldSource, got "
            f"{type(prefer).__name__} {prefer!r}.",
            field="prefer",
            value=prefer,
            allowed="a mapping such as {'mobile': FieldSource.DUPLICATE}",
        )
    unknown = set(prefer) - set(names)
    if unknown:
        raise MergeRefused(
            f"no field {', '.join(sorted(map(str, unknown)))} to choose; the fields are "
            f"{', '.join(names)}.",
            field="prefer",
            value=tuple(sorted(map(str, unknown))),
            allowed=", ".join(names),
        )
    decisions = []
    for name in names:
        mine, theirs = getattr(kept, name), getattr(gone, name)
        conflict = not _empty(mine) and not _empty(theirs) and mine != theirs
        source = (
            FieldSource.DUPLICATE if _empty(mine) and not _empty(theirs) else FieldSource.SURVIVOR
        )
        wanted = prefer.get(name)
        if wanted is not None:
            if wanted is FieldSource.BOTH or not isinstance(wanted, FieldSource):
                raise MergeRefused(
                    f"field {name} takes one value: SURVIVOR or DUPLICATE.",
                    field="prefer",
                    value=wanted,
                    allowed="FieldSource.SURVIVOR or FieldSource.DUPLICATE",
                )
            chosen = mine if wanted is FieldSource.SURVIVOR else theirs
            if _empty(chosen) and not (_empty(mine) and _empty(theirs)):
                raise MergeRefused(
                    f"preferring the {wanted.value}'s empty {name} would drop the other's value; "
                    "a merge never drops data silently.",
                    field="prefer",
                    value=wanted,
                    allowed=f"the source that holds a {name}",
                )
            source = wanted
        decisions.append(FieldDecision(name, source, conflict))
    if isinstance(kept, Person) and isinstance(gone, Person):
        both = bool(kept.plates) and bool(gone.plates) and set(kept.plates) != set(gone.plates)
        source = (
            FieldSource.BOTH
            if both
            else (
                FieldSource.DUPLICATE if not kept.plates and gone.plates else FieldSource.SURVIVOR
            )
        )
        decisions.append(FieldDecision("plates", source, conflict=False))
    return tuple(decisions)


def _moved(book: PartyBook, survivor: str, duplicate: str) -> list[Relation]:
    moved: dict[str, Relation] = {}
    for r in book.relations_of(duplicate):
        moved[r.relation_id] = attrs.evolve(r, party_id=survivor)
    for r in book.relations_to(duplicate):
        current = moved.get(r.relation_id, r)
        if isinstance(current, AgencyContact):
            moved[r.relation_id] = attrs.evolve(current, organisation_id=survivor)
        elif isinstance(current, CommitteeMember):
            moved[r.relation_id] = attrs.evolve(current, committee_id=survivor)
    return sorted(moved.values(), key=lambda r: (r.start, r.relation_id))


def plan_merge(
    book: PartyBook,
    survivor: str,
    duplicate: str,
    *,
    prefer: Mapping[str, FieldSource] | None = None,
) -> MergePlan:
    """The plan for merging ``duplicate`` into ``survivor`` (nothing is applied).

    ``prefer`` picks the duplicate's value of a field where the survivor's would win
    (``{'mobile': FieldSource.DUPLICATE}``), or the other way round.
    """
    kept, gone = _check_pair(book, survivor, duplicate)
    fields = _decisions(kept, gone, {} if prefer is None else prefer)
    moved = _moved(book, survivor, duplicate)
    conflicts = _conflicts_after(book, moved)
    return MergePlan(survivor, duplicate, fields, tuple(r.relation_id for r in moved), conflicts)


def _conflicts_after(book: PartyBook, moved: Iterable[Relation]) -> tuple[Conflict, ...]:
    changes = {r.relation_id: r for r in moved}
    targets = set()
    for r in changes.values():
        targets.add(r.target)
        targets.add(book.relation(r.relation_id).target)
    found: list[Conflict] = []
    for target in sorted(targets):
        current = {r.relation_id: r for r in book.relations_to(target)}
        for r in changes.values():
            if r.target == target:
                current[r.relation_id] = r
            else:
                current.pop(r.relation_id, None)
        relations = sorted(current.values(), key=lambda r: (r.start, r.relation_id))
        # The book's own rules, run on the relations as they would be after the move.
        found.extend(target_conflicts(book, target, relations))
    return tuple(found)


def _merged_party(kept: Party, gone: Party, fields: Iterable[FieldDecision]) -> Party:
    values: dict[str, Any] = {}  # field name -> value of that field's own type
    for decision in fields:
        if decision.source is FieldSource.DUPLICATE:
            values[decision.field] = getattr(gone, decision.field)
        elif decision.source is FieldSource.BOTH:
            assert isinstance(kept, Person)
            assert isinstance(gone, Person)
            values[decision.field] = tuple(dict.fromkeys((*kept.plates, *gone.plates)))
    return attrs.evolve(kept, **values)


def apply_merge(
    book: PartyBook, plan: MergePlan, *, at: datetime.datetime, reference: str
) -> PartyBook:
    """The book with ``plan`` applied in one step and recorded in its journal.

    Refused (:class:`~propcrm.errors.MergeRefused`) if the plan is blocked, or if the book
    changed since it was made (plan again). ``at`` is the aware instant of the merge, ``reference``
    the request or ticket it answers.
    """
    _check_book(book)
    if not isinstance(plan, MergePlan):
        raise InvalidType(
            f"plan must be a MergePlan (from plan_merge), got {type(plan).__name__} {plan!r}.",
            field="plan",
            value=plan,
            allowed="MergePlan",
        )
    instant = aware(at, field="at")
    if not isinstance(reference, str) or not reference.strip():
        raise MergeRefused(
            "a merge needs a reference (the ticket or request it answers).",
            field="reference",
            value=reference,
            allowed="non-empty text",
        )
    if plan.blocked:
        raise MergeRefused(
            f"the merge of {plan.duplicate} into {plan.survivor} is blocked: "
            f"{'; '.join(c.message for c in plan.conflicts)} Resolve these, then plan again.",
            survivor=plan.survivor,
            duplicate=plan.duplicate,
            conflicts=plan.conflicts,
        )
    prefer = {f.field: f.source for f in plan.fields if f.field != "plates"}
    if plan_merge(book, plan.survivor, plan.duplicate, prefer=prefer) != plan:
        raise MergeRefused(
            f"the plan to merge {plan.duplicate} into {plan.survivor} no longer matches the book "
            "(it changed since); make a new plan.",
            survivor=plan.survivor,
            duplicate=plan.duplicate,
        )
    kept, gone = book.party(plan.survivor), book.party(plan.duplicate)
    record = MergeRecord(
        plan.survivor, plan.duplicate, instant, reference, plan.fields, plan.moving
    )
    entry = JournalEntry(
        BookOperation.MERGE,
        None,
        parties=(plan.survivor, plan.duplicate),
        moved=plan.moving,
        reference=reference,
        detail=record,
    )
    return derived_book(
        book,
        entry,
        parties={
            plan.survivor: _merged_party(kept, gone, plan.fields),
            plan.duplicate: attrs.evolve(gone, merged_into=plan.survivor),
        },
        relations=_moved(book, plan.survivor, plan.duplicate),
    )
