"""Solution entries (问题及其解决方法) and the base that keeps every version of them.

An entry says what the problem was, its cause and the fix, with the category it belongs to, the
unit type it applies to, the parts used, who wrote it and who approved it. Entries are never
edited in place and never deleted: :meth:`SolutionBase.revise` adds a version (which needs its
own approval; until then the last approved one stays in service), :meth:`SolutionBase.retire`
takes an entry out of service with a reason and keeps it. Search sees only the approved,
unretired version of each entry (:meth:`SolutionBase.in_service`).

>>> at = pendulum.datetime(2026, 11, 24, 10, tz="Asia/Shanghai")
>>> entry = SolutionEntry(
...     entry_id="KB-1",
...     problem="卫生间地漏反味",
...     cause="存水弯干涸",
...     fix="往地漏注水，加装防臭芯",
...     category=Category.BLOCKED_DRAIN,
...     author="S-07",
...     written_at=at,
... )
>>> base = SolutionBase().add(entry)
>>> base.in_service()
()
>>> base = base.approve("KB-1", 1, approver="S-01", at=at.add(hours=2))
>>> [e.version for e in base.in_service()]
[1]
>>> base = base.revise("KB-1", author="S-07", at=at.add(days=3), fix="加装防臭地漏芯并注水")
>>> [(e.version, e.status.value) for e in base.history("KB-1")]
[(1, 'approved'), (2, 'draft')]
>>> base.in_service()[0].version  # the approved version serves until the new one is approved
1
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable
from typing import Any

import attrs
import pendulum

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, pgettext
from propcrm._property_types import PropertyType
from propcrm._validators import (
    check_int,
    check_items,
    check_record_id,
    check_text,
    check_unique,
    instance_of,
)
from propcrm.classification import Category
from propcrm.complaints import Request, State
from propcrm.errors import (
    InvalidSolution,
    SolutionChangeRefused,
    UnknownSolution,
)
from propcrm.time import aware

__all__ = [
    "EntryStatus",
    "Retirement",
    "SolutionApproval",
    "SolutionBase",
    "SolutionEntry",
    "entry_from_request",
]

MAX_TEXT = 2000
"""Longest problem, cause or fix text accepted: a knowledge-base entry, not a manual."""


class EntryStatus(enum.Enum):
    """Where a version of an entry stands."""

    DRAFT = "draft"
    APPROVED = "approved"
    RETIRED = "retired"

    def label(self, locale: LocaleLike = DEFAULT_LOCALE) -> str:
        """The status's name, e.g. ``'已审核'`` (zh_CN) or ``'approved'``."""
        match self:
            case EntryStatus.DRAFT:
                return pgettext("solution status", "draft", locale=locale)
            case EntryStatus.APPROVED:
                return pgettext("solution status", "approved", locale=locale)
            case EntryStatus.RETIRED:
                return pgettext("solution status", "retired", locale=locale)


def _id(_instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    check_record_id(value, attribute.name.replace("_", " "), InvalidSolution, field=attribute.name)


def _optional_id(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        _id(_instance, attribute, value)


def _text(_instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    check_text(value, attribute.name, InvalidSolution, max_length=MAX_TEXT)


def _words(values: Iterable[str]) -> tuple[str, ...]:
    items: tuple[str, ...] = check_items(values, "keywords", str, error=InvalidSolution)
    for item in items:
        check_text(item, "keywords", InvalidSolution, max_length=100)
    return items


def _parts(values: Iterable[str]) -> tuple[str, ...]:
    items: tuple[str, ...] = check_items(values, "parts", str, error=InvalidSolution)
    for item in items:
        check_text(item, "parts", InvalidSolution, max_length=100)
    return items


def _version(_instance: object, _attribute: object, value: object) -> None:
    check_int(value, "version", InvalidSolution, minimum=1, maximum=10_000)


def _written_at(value: datetime.datetime) -> pendulum.DateTime:
    return aware(value, field="written_at")


def _approved_at(value: datetime.datetime) -> pendulum.DateTime:
    return aware(value, field="approved_at")


def _retired_at(value: datetime.datetime) -> pendulum.DateTime:
    return aware(value, field="retired_at")


@attrs.frozen
class SolutionApproval:
    """Who approved a version, and when."""

    approver: str = attrs.field(validator=_id)
    approved_at: pendulum.DateTime = attrs.field(converter=_approved_at)


@attrs.frozen
class Retirement:
    """An entry taken out of service: when, by whom, why, and what replaces it if anything."""

    entry_id: str = attrs.field(validator=_id)
    retired_by: str = attrs.field(validator=_id)
    retired_at: pendulum.DateTime = attrs.field(converter=_retired_at)
    reason: str = attrs.field(validator=_text)
    replaced_by: str | None = attrs.field(default=None, validator=_optional_id)


@attrs.frozen(kw_only=True)
class SolutionEntry:
    """One version of a problem-and-solution entry.

    Attributes:
        entry_id: the entry's id, the same for all its versions.
        version: 1 for the first, one more for each revision.
        problem, cause, fix: what was wrong, why, and what put it right (Chinese or English).
        category: the request category it belongs to; suggestions prefer the same category.
        unit_type: the property type it applies to, ``None`` for any.
        parts: parts or materials used (``'防臭地漏芯'``).
        keywords: extra search words, e.g. the English or colloquial names of the problem.
        author: the staff id who wrote this version; ``written_at`` when.
        source_request: the resolved request it was written from, if any.
        approval: who approved this version, ``None`` while it is a draft.
        retired: set on every version of an entry once the entry is retired.
    """

    entry_id: str = attrs.field(validator=_id)
    version: int = attrs.field(default=1, validator=_version)
    problem: str = attrs.field(validator=_text)
    cause: str = attrs.field(validator=_text)
    fix: str = attrs.field(validator=_text)
    category: Category = attrs.field(validator=instance_of(Category))
    unit_type: PropertyType | None = attrs.field(
        default=None, validator=attrs.validators.optional(instance_of(PropertyType))
    )
    parts: tuple[str, ...] = attrs.field(default=(), converter=_parts)
    keywords: tuple[str, ...] = attrs.field(default=(), converter=_words)
    author: str = attrs.field(validator=_id)
    written_at: pendulum.DateTime = attrs.field(converter=_written_at)
    source_request: str | None = attrs.field(default=None, validator=_optional_id)
    approval: SolutionApproval | None = attrs.field(
        default=None, validator=attrs.validators.optional(instance_of(SolutionApproval))
    )
    retired: Retirement | None = attrs.field(
        default=None, validator=attrs.validators.optional(instance_of(Retirement))
    )

    def __attrs_post_init__(self) -> None:
        if self.approval is not None and self.approval.approved_at < self.written_at:
            raise InvalidSolution(
                f"entry {self.entry_id} v{self.version} was approved at "
                f"{self.approval.approved_at.isoformat()}, before it was written at "
                f"{self.written_at.isoformat()}.",
                field="approval",
                value=self.approval.approved_at,
                allowed=f"at or after {self.written_at.isoformat()}",
            )

    @property
    def status(self) -> EntryStatus:
        """Retired, approved or draft, in that order of precedence."""
        if self.retired is not None:
            return EntryStatus.RETIRED
        return EntryStatus.DRAFT if self.approval is None else EntryStatus.APPROVED

    @property
    def key(self) -> str:
        """``'KB-1@2'``: the entry id and version, as a reason or a report cites it."""
        return f"{self.entry_id}@{self.version}"


def _entries(values: Iterable[SolutionEntry]) -> tuple[SolutionEntry, ...]:
    entries: tuple[SolutionEntry, ...] = check_items(values, "entries", SolutionEntry)
    check_unique((e.key for e in entries), "entries", InvalidSolution, what="entry version")
    return tuple(sorted(entries, key=lambda e: (e.entry_id, e.version)))


@attrs.frozen
class SolutionBase:
    """Every version of every entry; changes return a new base and never delete anything.

    Versions of an entry must run 1, 2, 3 … without gaps, and a retirement covers all of them.
    """

    entries: tuple[SolutionEntry, ...] = attrs.field(default=(), converter=_entries)

    def __attrs_post_init__(self) -> None:
        versions: dict[str, list[SolutionEntry]] = {}
        for entry in self.entries:
            versions.setdefault(entry.entry_id, []).append(entry)
        for entry_id, found in versions.items():
            numbers = [e.version for e in found]
            if numbers != list(range(1, len(found) + 1)):
                raise InvalidSolution(
                    f"entry {entry_id} has versions {numbers}; versions run 1, 2, 3 … without "
                    "gaps.",
                    field="entries",
                    value=numbers,
                    allowed=f"versions 1 to {len(found)}",
                )
            retired = {e.retired for e in found}
            if len(retired) > 1:
                raise InvalidSolution(
                    f"entry {entry_id} is retired in some versions and not others; a retirement "
                    "covers every version.",
                    field="entries",
                    value=entry_id,
                    allowed="one retirement (or none) for all versions",
                )

    # -- reading ---------------------------------------------------------------------------

    def history(self, entry_id: str) -> tuple[SolutionEntry, ...]:
        """Every version of ``entry_id``, oldest first."""
        check_record_id(entry_id, "entry id", InvalidSolution, field="entry_id")
        found = tuple(e for e in self.entries if e.entry_id == entry_id)
        if not found:
            raise UnknownSolution(
                f"no solution entry {entry_id!r} in this base.",
                field="entry_id",
                value=entry_id,
                allowed="an entry id the base holds",
            )
        return found

    def latest(self, entry_id: str) -> SolutionEntry:
        """The newest version of ``entry_id``, approved or not."""
        return self.history(entry_id)[-1]

    def version(self, entry_id: str, version: int) -> SolutionEntry:
        """Version ``version`` of ``entry_id``."""
        check_int(version, "version", InvalidSolution, minimum=1)
        for entry in self.history(entry_id):
            if entry.version == version:
                return entry
        raise UnknownSolution(
            f"entry {entry_id} has no version {version}.",
            field="version",
            value=version,
            allowed=f"1 to {self.latest(entry_id).version}",
        )

    def in_service(self) -> tuple[SolutionEntry, ...]:
        """The newest approved version of each entry not retired: what search and intake see."""
        serving: dict[str, SolutionEntry] = {}
        for entry in self.entries:
            if entry.status is EntryStatus.APPROVED:
                serving[entry.entry_id] = entry  # entries are sorted: the newest wins
        return tuple(serving.values())

    # -- changes ---------------------------------------------------------------------------

    def add(self, entry: SolutionEntry) -> SolutionBase:
        """A base with the new entry ``entry`` (version 1, not yet retired)."""
        if not isinstance(entry, SolutionEntry):
            raise InvalidSolution(
                f"entry must be a SolutionEntry, got {type(entry).__name__} {entry!r}.",
                field="entry",
                value=entry,
                allowed="SolutionEntry",
            )
        if any(e.entry_id == entry.entry_id for e in self.entries):
            raise SolutionChangeRefused(
                f"entry {entry.entry_id} is already in the base; revise it instead.",
                field="entry_id",
                value=entry.entry_id,
                allowed="an entry id not in the base",
            )
        if entry.version != 1 or entry.retired is not None:
            raise SolutionChangeRefused(
                f"a new entry starts at version 1 and in service, got {entry.key} "
                f"({entry.status.value}).",
                field="version",
                value=entry.version,
                allowed="version 1, not retired",
            )
        return SolutionBase((*self.entries, entry))

    def revise(
        self, entry_id: str, *, author: str, at: datetime.datetime, **changes: Any
    ) -> SolutionBase:
        """A base with a new draft version of ``entry_id`` carrying ``changes``.

        ``changes`` name fields of :class:`SolutionEntry` (``fix=…``, ``parts=…``); the id,
        version, author, time, approval and retirement are the base's to set.
        """
        latest = self._open(entry_id, "revise")
        fixed = {"entry_id", "version", "author", "written_at", "approval", "retired"}
        known = {a.name for a in attrs.fields(SolutionEntry)} - fixed
        unknown = sorted(set(changes) - known)
        if unknown:
            raise InvalidSolution(
                f"revise() cannot change {', '.join(unknown)}; it changes "
                f"{', '.join(sorted(known))}.",
                field="changes",
                value=unknown,
                allowed=", ".join(sorted(known)),
            )
        written_at = aware(at, field="at")
        if written_at < latest.written_at:
            raise SolutionChangeRefused(
                f"a revision of {entry_id} at {written_at.isoformat()} is earlier than "
                f"version {latest.version}, written at {latest.written_at.isoformat()}.",
                field="at",
                value=written_at,
                allowed=f"at or after {latest.written_at.isoformat()}",
            )
        revised = attrs.evolve(
            latest,
            version=latest.version + 1,
            author=author,
            written_at=written_at,
            approval=None,
            **changes,
        )
        return SolutionBase((*self.entries, revised))

    def approve(
        self, entry_id: str, version: int, *, approver: str, at: datetime.datetime
    ) -> SolutionBase:
        """A base in which version ``version`` of ``entry_id`` is approved by ``approver``.

        The author may not approve their own version: an entry is a second person's word that
        the fix works.
        """
        self._open(entry_id, "approve")
        entry = self.version(entry_id, version)
        if entry.approval is not None:
            raise SolutionChangeRefused(
                f"{entry.key} was already approved by {entry.approval.approver}.",
                field="version",
                value=version,
                allowed="a draft version",
            )
        check_record_id(approver, "approver", InvalidSolution)
        if approver == entry.author:
            raise SolutionChangeRefused(
                f"{approver} wrote {entry.key} and may not approve it; another member of staff "
                "approves.",
                field="approver",
                value=approver,
                allowed=f"anyone but {entry.author}",
            )
        approved = attrs.evolve(entry, approval=SolutionApproval(approver, at))
        return SolutionBase(e if e.key != entry.key else approved for e in self.entries)

    def retire(
        self,
        entry_id: str,
        *,
        by: str,
        at: datetime.datetime,
        reason: str,
        replaced_by: str | None = None,
    ) -> SolutionBase:
        """A base in which ``entry_id`` is out of service, every version kept."""
        self._open(entry_id, "retire")
        if replaced_by is not None:
            self.history(replaced_by)
        retirement = Retirement(entry_id, by, at, reason, replaced_by)
        return SolutionBase(
            attrs.evolve(e, retired=retirement) if e.entry_id == entry_id else e
            for e in self.entries
        )

    def _open(self, entry_id: str, verb: str) -> SolutionEntry:
        latest = self.latest(entry_id)
        if latest.retired is not None:
            raise SolutionChangeRefused(
                f"entry {entry_id} was retired at {latest.retired.retired_at.isoformat()} "
                f"({latest.retired.reason}); a retired entry cannot be changed ({verb}). Add a "
                "new entry instead.",
                field="entry_id",
                value=entry_id,
                allowed="an entry in service",
            )
        return latest


def entry_from_request(
    request: Request,
    *,
    entry_id: str,
    cause: str,
    author: str,
    at: datetime.datetime,
    fix: str | None = None,
    unit_type: PropertyType | None = None,
    parts: Iterable[str] = (),
    keywords: Iterable[str] = (),
) -> SolutionEntry:
    """A draft entry written from a resolved (or closed) request.

    The problem is the request's description, the category its intake's, and the fix the
    resolution note unless ``fix`` is given; the request's id is kept as the source.
    """
    if not isinstance(request, Request):
        raise InvalidSolution(
            f"request must be a complaints.Request, got {type(request).__name__} {request!r}.",
            field="request",
            value=request,
            allowed="Request",
        )
    if request.state not in {State.RESOLVED, State.CLOSED} or not request.resolution:
        raise SolutionChangeRefused(
            f"request {request.request_id} is {request.state.value}; only a resolved or closed "
            "request with a resolution becomes a solution entry.",
            field="request",
            value=request.state.value,
            allowed="resolved or closed, with a resolution",
        )
    problem = request.intake.description
    if not problem.strip():
        raise InvalidSolution(
            f"request {request.request_id} has no description to serve as the problem.",
            field="request",
            value=request.request_id,
            allowed="a request with a description",
        )
    return SolutionEntry(
        entry_id=entry_id,
        problem=problem,
        cause=cause,
        fix=request.resolution if fix is None else fix,
        category=request.intake.category,
        unit_type=unit_type,
        parts=parts,
        keywords=keywords,
        author=author,
        written_at=at,
        source_request=request.request_id,
    )
