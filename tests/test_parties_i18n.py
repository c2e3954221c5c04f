"""Every label, describe and explain of parties, personal_data, archive and visitors, per locale.

Each text is asserted in zh_CN (the default) and en_US, and each refuses an unsupported locale.
The en_US text never carries Chinese (beyond names and data given as such), nor zh_CN English.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pendulum
import pytest

from propcrm._property_types import PropertyType
from propcrm.archive import PublicAffair
from propcrm.errors import UnsupportedLocale
from propcrm.parties import (
    Conflict,
    ConflictKind,
    DuplicateMatch,
    ExclusivityRule,
    FieldSource,
    HouseholdRole,
    MatchReason,
    MergeRecord,
    Organisation,
    OrganisationKind,
    Owner,
    OwnershipCoverage,
    PartyBook,
    PayerReason,
    Person,
    RelationKind,
    Resident,
    Tenant,
    Unit,
    UnitStatusCode,
    plan_merge,
)
from propcrm.parties._book_rules import target_conflicts
from propcrm.parties._relations import (
    EXCLUSIVITY_RULES,
    coverage_conflicts,
    exclusivity_conflicts,
    lease_conflicts,
    share_conflicts,
)
from propcrm.parties._subject_rights import ErasureRecord
from propcrm.personal_data import (
    ConsentLedger,
    ConsentPolicy,
    ConsentPurpose,
    ContactChannel,
    CreditCode,
    PersonName,
)
from propcrm.visitors import VisitPurpose

D = pendulum.date
AT = pendulum.datetime(2026, 11, 24, 9, tz="Asia/Shanghai")
FLAT = "1-2-0301"
HAN = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”]")
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


# -- labels -----------------------------------------------------------------------------------

LABELS: list[tuple[Callable[[str], str], str, str]] = [
    (OrganisationKind.ENTERPRISE.label, "企业", "enterprise"),
    (OrganisationKind.GOVERNMENT_AGENCY.label, "政府机构", "government agency"),
    (OrganisationKind.OWNERS_COMMITTEE.label, "业主委员会", "owners' committee"),
    (OrganisationKind.RESIDENTS_COMMITTEE.label, "居民委员会", "residents' committee"),
    (OrganisationKind.PROPERTY_COMPANY.label, "物业服务企业", "property company"),
    (OrganisationKind.MERCHANT.label, "商户", "merchant"),
    (RelationKind.OWNER.label, "业主", "owner"),
    (RelationKind.TENANT.label, "租户", "tenant"),
    (RelationKind.RESIDENT.label, "住户", "resident"),
    (RelationKind.MERCHANT.label, "商户", "merchant"),
    (RelationKind.VISITOR.label, "访客", "visitor"),
    (RelationKind.AGENCY_CONTACT.label, "机构联系人", "agency contact"),
    (RelationKind.COMMITTEE_MEMBER.label, "委员会成员", "committee member"),
    (UnitStatusCode.UNSOLD.label, "未售", "unsold"),
    (UnitStatusCode.SOLD.label, "已售未交付", "sold, not handed over"),
    (UnitStatusCode.VACANT.label, "已交付空置", "handed over, vacant"),
    (UnitStatusCode.OCCUPIED.label, "已入住", "occupied"),
    (UnitStatusCode.DECORATING.label, "装修中", "under decoration"),
    (PublicAffair.MOVE_IN.label, "入住", "move-in"),
    (PublicAffair.DECORATION_REGISTRATION.label, "装修登记", "decoration registration"),
    (PublicAffair.DECORATION_INSPECTION.label, "装修验收", "decoration inspection"),
    (PublicAffair.HOT_WORK_PERMIT.label, "动火作业审批", "hot-work permit"),
    (PublicAffair.MOVING_RELEASE.label, "搬迁放行", "moving release"),
    (PublicAffair.PARKING_ALLOCATION.label, "车位分配", "parking space allocation"),
    (PublicAffair.PARKING_LEASE.label, "车位租赁登记", "parking space lease registration"),
    (PublicAffair.FEES.label, "费用事务", "fee matters"),
    (PublicAffair.COMPLAINT.label, "投诉", "complaint"),
    (VisitPurpose.FAMILY.label, "探亲访友", "visiting family or friends"),
    (VisitPurpose.DELIVERY.label, "快递外卖", "delivery"),
    (VisitPurpose.REPAIR.label, "维修服务", "repair service"),
    (VisitPurpose.MOVING.label, "搬家", "moving"),
    (VisitPurpose.HOUSE_VIEWING.label, "看房", "house viewing"),
    (VisitPurpose.BUSINESS.label, "商务", "business"),
    (VisitPurpose.OTHER.label, "其他", "other"),
    (ConsentPurpose.MARKETING.label, "营销推广", "marketing"),
    (ConsentPurpose.SATISFACTION_SURVEY.label, "满意度调查", "satisfaction survey"),
    (ConsentPurpose.SERVICE_NOTICES.label, "服务通知", "service notices"),
    (
        ConsentPurpose.COMMITTEE_SHARING.label,
        "向居委会共享个人信息",
        "data sharing with the residents' committee",
    ),
    (ContactChannel.SMS.label, "短信", "SMS"),
    (ContactChannel.WECHAT.label, "微信", "WeChat"),
    (ContactChannel.PHONE.label, "电话", "phone"),
    (ContactChannel.LETTER.label, "信函", "letter"),
    (ContactChannel.EMAIL.label, "电子邮件", "email"),
    (FieldSource.SURVIVOR.label, "取保留方的值", "survivor"),
    (FieldSource.DUPLICATE.label, "取重复方的值", "duplicate"),
    (FieldSource.BOTH.label, "合并双方的值", "both"),
    (
        PayerReason.PAYING_TENANT.rule,
        "租约约定由租户缴费",
        "the lease makes the tenant pay the fees",
    ),
    (PayerReason.SOLE_OWNER.rule, "唯一业主缴费", "the only owner pays"),
    (
        PayerReason.DESIGNATED_OWNER.rule,
        "共有人中指定的缴费人",
        "the joint owner designated to pay",
    ),
    (
        PayerReason.LARGEST_SHARE.rule,
        "共有人中份额最大者缴费",
        "the joint owner with the largest share",
    ),
    (
        PayerReason.EQUAL_SHARES.rule,
        "份额相同：最早取得者，再按客户编号",
        "equal largest shares: the earliest owner, then the lowest party id",
    ),
    (
        EXCLUSIVITY_RULES[0].label,
        "同一客户对同一对象同一时间只能有一项同类关系",
        EXCLUSIVITY_RULES[0].name,
    ),
    (EXCLUSIVITY_RULES[1].label, "同一房屋同一时间只能有一份租约", "one lease of a unit at a time"),
    (EXCLUSIVITY_RULES[2].label, "同一房屋同一时间只能有一名承租人", EXCLUSIVITY_RULES[2].name),
    (EXCLUSIVITY_RULES[3].label, "同一房屋同一时间只能有一名缴费租户", EXCLUSIVITY_RULES[3].name),
    (EXCLUSIVITY_RULES[4].label, "同一房屋同一时间只能指定一名缴费业主", EXCLUSIVITY_RULES[4].name),
    (
        EXCLUSIVITY_RULES[5].label,
        "同一房屋同一时间只能有一名户主",
        "one household head of a unit at a time",
    ),
    (
        EXCLUSIVITY_RULES[6].label,
        "同一商铺同一时间只能有一个商户",
        "one merchant in a shop at a time",
    ),
    (
        EXCLUSIVITY_RULES[7].label,
        "同一委员会同一时间只能有一名主任",
        "one chair of a committee at a time",
    ),
]


def test_every_member_of_the_labelled_enums_is_in_the_table() -> None:
    listed = {getattr(label, "__self__", None) for label, _, _ in LABELS}
    for enum in (
        OrganisationKind,
        RelationKind,
        UnitStatusCode,
        PublicAffair,
        VisitPurpose,
        ConsentPurpose,
        ContactChannel,
        FieldSource,
        PayerReason,
    ):
        assert set(enum) <= listed, enum
    assert set(EXCLUSIVITY_RULES) <= listed


@pytest.mark.parametrize(("label", "chinese", "english"), LABELS)
def test_labels_in_both_locales(label: Callable[..., str], chinese: str, english: str) -> None:
    assert label() == chinese
    assert label("zh_CN") == chinese
    assert label("zh-CN") == chinese
    assert label("en_US") == english
    assert not HAN.search(english)


def test_a_communitys_own_exclusivity_rule_is_named_as_given() -> None:
    own = ExclusivityRule("一户一车位", lambda r: True, lambda r: r.target)
    assert own.label() == own.label("en_US") == "一户一车位"
    with pytest.raises(UnsupportedLocale):
        own.label("fr_FR")


# -- describe and explain ---------------------------------------------------------------------


def flat(unit_id: str = FLAT) -> Unit:
    return Unit(
        unit_id=unit_id,
        community="SUNRISE",
        building="1",
        entrance="2",
        floor=3,
        number=unit_id[-4:],
        property_type=PropertyType.RESIDENTIAL,
        building_area="89.37",
    )


def person(party_id: str) -> Person:
    return Person(party_id=party_id, name=PersonName("张三丰"))


def test_a_relation_describes_itself_with_and_without_an_end() -> None:
    owner = Owner(relation_id="R1", party_id="P1", unit_id=FLAT, start=D(2026, 1, 1))
    assert owner.describe() == "R1：P1 自 2026-01-01 起为 1-2-0301 的业主"
    assert owner.describe("en_US") == "R1: P1 owner of 1-2-0301 from 2026-01-01"
    sold = owner.ended(D(2026, 11, 16))
    assert sold.describe() == "R1：P1 自 2026-01-01 起为 1-2-0301 的业主，于 2026-11-16 终止"
    assert sold.describe("en_US") == "R1: P1 owner of 1-2-0301 from 2026-01-01 until 2026-11-16"


def test_the_payer_says_who_pays_and_by_which_rule() -> None:
    book = PartyBook(parties=[person("P1")], units=[flat()]).sell(FLAT, D(2025, 6, 1), "P1")
    payer = book.payer(FLAT, D(2026, 3, 1))
    assert payer is not None
    assert payer.describe() == "2026-03-01 1-2-0301 的缴费人为 P1：唯一业主缴费"
    assert payer.describe("en_US") == "P1 pays for 1-2-0301 on 2026-03-01: the only owner pays"


@pytest.mark.parametrize(
    ("reason", "chinese", "english"),
    [
        (MatchReason.SAME_MOBILE, "手机号相同：E", "same mobile number E"),
        (
            MatchReason.SAME_ID_NUMBER,
            "身份证号相同（密钥哈希）：E",
            "same ID number (keyed hash) E",
        ),
        (MatchReason.SAME_NAME_AND_UNIT, "姓名与房屋相同：E", "same name and unit E"),
        (MatchReason.SAME_CREDIT_CODE, "统一社会信用代码相同：E", "same credit code E"),
    ],
)
def test_a_duplicate_match_names_its_reason(
    reason: MatchReason, chinese: str, english: str
) -> None:
    match = DuplicateMatch(reason, "E")
    assert match.describe() == chinese
    assert match.describe("en_US") == english


def test_a_merge_plan_of_two_organisations_in_both_locales() -> None:
    code = CreditCode("91110000600037341L")
    book = PartyBook(
        parties=[
            Organisation(
                party_id="O1", kind=OrganisationKind.MERCHANT, name="阳光茶馆", credit_code=code
            ),
            Organisation(party_id="O2", kind=OrganisationKind.ENTERPRISE, name="阳光茶馆"),
        ]
    )
    plan = plan_merge(book, "O1", "O2")
    assert plan.describe() == "\n".join(
        [
            "将 O2 合并到 O1",
            "  名称：取保留方的值",
            "  机构类型：取保留方的值（双方不一致）",
            "  统一社会信用代码：取保留方的值",
            "  迁移的关系：无",
        ]
    )
    assert plan.describe("en_US") == "\n".join(
        [
            "merge O2 into O1",
            "  name: survivor",
            "  organisation kind: survivor (the two differed)",
            "  credit code: survivor",
            "  relations moving: none",
        ]
    )


def test_a_merge_plan_of_two_people_lists_the_relations_moving() -> None:
    book = (
        PartyBook(parties=[person("P1"), person("P2")], units=[flat(), flat("1-2-0302")])
        .sell(FLAT, D(2025, 6, 1), "P2")
        .sell("1-2-0302", D(2025, 6, 1), "P2")
    )
    lines = plan_merge(book, "P1", "P2").describe().splitlines()
    assert lines[1] == "  姓名：取保留方的值"
    assert lines[-1] == "  迁移的关系：R000001、R000002"
    english = plan_merge(book, "P1", "P2").describe("en_US").splitlines()
    assert english[1] == "  name: survivor"
    assert english[-1] == "  relations moving: R000001, R000002"


def test_a_merge_record_counts_its_relations_with_real_plurals() -> None:
    one = MergeRecord("P1", "P2", AT, "T-1", (), ("R1",))
    assert (
        one.describe("en_US")
        == "2026-11-24T09:00:00+08:00: merged P2 into P1 (T-1); 1 relation moved"
    )
    assert one.describe() == "2026-11-24T09:00:00+08:00：已将 P2 合并到 P1（T-1）；迁移 1 条关系"
    two = MergeRecord("P1", "P2", AT, "T-1", (), ("R1", "R2"))
    assert two.describe("en_US").endswith("; 2 relations moved")


def test_an_erasure_record_in_both_locales() -> None:
    record = ErasureRecord(("P1", "P7"), AT, "req-18", ("name", "plates"), ("R1",), (), (), ())
    assert record.describe() == (
        "2026-11-24T09:00:00+08:00：已删除 P1、P7 的姓名、车牌号（req-18）；为财务记录保留 1 条关系"
    )
    assert record.describe("en_US") == (
        "2026-11-24T09:00:00+08:00: erased name, vehicle plates of P1, P7 (req-18); kept "
        "1 relation for the financial records"
    )
    empty = ErasureRecord(("P1",), AT, "req-19", (), ("R1", "R2"), (), (), ())
    assert empty.describe() == (
        "2026-11-24T09:00:00+08:00：P1 没有可删除的个人信息（req-19）；为财务记录保留 2 条关系"
    )
    assert empty.describe("en_US") == (
        "2026-11-24T09:00:00+08:00: erased nothing of P1 (req-19); kept 2 relations for the "
        "financial records"
    )


def test_consent_events_and_decisions_in_both_locales() -> None:
    at = pendulum.datetime(2026, 3, 1, 10, tz="Asia/Shanghai")
    survey, wechat = ConsentPurpose.SATISFACTION_SURVEY, ContactChannel.WECHAT
    ledger = ConsentLedger("P1").grant(survey, wechat, at, evidence="form #88")
    grant = ledger.events[0]
    assert (
        grant.describe()
        == "“满意度调查”（微信）的同意已于 2026-03-01T10:00:00+08:00 授予（form #88）"
    )
    assert grant.describe("en_US") == (
        "consent for satisfaction survey by WeChat was granted at 2026-03-01T10:00:00+08:00 "
        "(form #88)"
    )
    yes = ledger.may_contact(survey, wechat, at.add(days=1))
    assert yes.explain() == f"可以：{grant.describe()}"
    assert yes.explain("en_US") == f"yes: {grant.describe('en_US')}"
    own_basis = ConsentPolicy(exempt=frozenset({survey}), basis="业主大会决议 2026-01")
    exempt = ledger.may_contact(survey, ContactChannel.SMS, at, policy=own_basis)
    assert exempt.explain() == "可以：“满意度调查”无需同意（业主大会决议 2026-01）"
    assert (
        exempt.explain("en_US")
        == "yes: satisfaction survey needs no consent (业主大会决议 2026-01)"
    )


# -- conflicts --------------------------------------------------------------------------------


def _handed_over_book() -> PartyBook:
    return (
        PartyBook(parties=[person("P1"), person("P2")], units=[flat()])
        .sell(FLAT, D(2025, 6, 1), "P1")
        .hand_over(FLAT, D(2026, 3, 1))
    )


def _conflicts() -> dict[str, Conflict]:
    heads = [
        Resident(
            relation_id=f"R{n}",
            party_id=f"P{n}",
            unit_id=FLAT,
            start=D(2026, 3, n),
            role=HouseholdRole.HEAD,
        )
        for n in (1, 2)
    ]
    joint = [
        Owner(relation_id="R1", party_id="P1", unit_id=FLAT, start=D(2026, 1, 1), share="0.6"),
        Owner(relation_id="R2", party_id="P2", unit_id=FLAT, start=D(2026, 1, 1), share="0.5"),
    ]
    sold = Owner(
        relation_id="R1", party_id="P1", unit_id=FLAT, start=D(2026, 1, 1), until=D(2026, 11, 16)
    )
    leases = [
        Tenant(
            relation_id=f"T{n}", party_id="P2", unit_id=unit, lease_id="HT-1", start=D(2026, 4, 1)
        )
        for n, unit in ((1, FLAT), (2, "1-2-0302"))
    ]
    book = _handed_over_book()
    early = Tenant(
        relation_id="T9", party_id="P2", unit_id=FLAT, lease_id="HT-9", start=D(2026, 2, 1)
    )
    resident = Resident(relation_id="R9", party_id="P2", unit_id=FLAT, start=D(2026, 4, 1))
    owners = list(book.relations_to(FLAT))
    return {
        "overlap": exclusivity_conflicts(heads)[0],
        "share": share_conflicts(joint)[0],
        "full": coverage_conflicts(FLAT, [sold], D(2026, 3, 1))[0],
        "any": coverage_conflicts(FLAT, [sold], D(2026, 3, 1), OwnershipCoverage.ANY_OWNER)[0],
        "lease": lease_conflicts(leases)[0],
        "early": next(
            c
            for c in target_conflicts(book, FLAT, [*owners, early])
            if c.kind is ConflictKind.NOT_HANDED_OVER
        ),
        "unoccupied": next(
            c
            for c in target_conflicts(book, FLAT, [*owners, resident])
            if c.kind is ConflictKind.INCONSISTENT
        ),
    }


CONFLICTS = [
    (
        "overlap",
        "R1 与 R2 在 2026-03-02 同时有效，但同一房屋同一时间只能有一名户主（1-2-0301）。",
        (
            "R1 and R2 are both in force on 2026-03-02, but one household head of a unit at a "
            "time (1-2-0301)."
        ),
    ),
    (
        "share",
        (
            "2026-01-01 房屋 1-2-0301 的业主份额合计 110 %（R1 60 %、R2 50 %）；"
            "份额合计不得超过 100 %。"
        ),
        (
            "owners of unit 1-2-0301 hold 110 % on 2026-01-01 (R1 60 %, R2 50 %); shares never "
            "exceed 100 %."
        ),
    ),
    (
        "full",
        (
            "房屋 1-2-0301 已于 2026-03-01 交付，但 2026-11-16 业主份额合计为 0 %；"
            "交付后每日业主份额合计均须为 100 %。"
        ),
        (
            "unit 1-2-0301 is owned 0 % on 2026-11-16, after its handover on 2026-03-01; from "
            "the handover on, its owners must hold 100 % every day."
        ),
    ),
    (
        "any",
        (
            "房屋 1-2-0301 已于 2026-03-01 交付，但 2026-11-16 业主份额合计为 0 %；"
            "交付后每日均须有业主。"
        ),
        (
            "unit 1-2-0301 is owned 0 % on 2026-11-16, after its handover on 2026-03-01; from "
            "the handover on, it must have an owner every day."
        ),
    ),
    (
        "lease",
        (
            "租约 HT-1 涉及多套房屋（1-2-0301、1-2-0302）；"
            "一份租约只对应一套房屋，请为每套房屋的租约单独编号。"
        ),
        (
            "lease HT-1 has tenancies of units 1-2-0301, 1-2-0302; a lease is of one unit, so "
            "give each unit's lease its own number."
        ),
    ),
    (
        "early",
        "关系 T9（租户）自 2026-02-01 起，早于房屋 1-2-0301 交付；请先登记交付。",
        (
            "relation T9 (tenant) starts 2026-02-01, before unit 1-2-0301 was handed over; "
            "record the handover first."
        ),
    ),
    (
        "unoccupied",
        (
            "住户关系 R9 在房屋 1-2-0301 未入住的日期有效；"
            "请通过入住和迁出登记住户，两者会同步更新。"
        ),
        (
            "resident relation R9 is in force on days unit 1-2-0301 is not occupied; record "
            "residents with their move-in and move-out, which keep both in step."
        ),
    ),
]


@pytest.mark.parametrize(("name", "chinese", "english"), CONFLICTS)
def test_each_conflict_describes_itself_for_staff(name: str, chinese: str, english: str) -> None:
    conflict = _conflicts()[name]
    assert conflict.describe() == chinese
    assert conflict.describe("en_US") == english
    assert not HAN.search(english)
    assert not LATIN_WORD.search(chinese)


def test_a_conflict_built_elsewhere_describes_itself_by_its_message() -> None:
    conflict = Conflict(ConflictKind.INCONSISTENT, "own rule", FLAT, ("R1",), None, "as given")
    assert conflict.describe() == conflict.describe("en_US") == "as given"
    with pytest.raises(UnsupportedLocale):
        conflict.describe("de_DE")


# -- unsupported locales ----------------------------------------------------------------------


def _texts() -> list[Callable[[str], str]]:
    at = pendulum.datetime(2026, 3, 1, 10, tz="Asia/Shanghai")
    ledger = ConsentLedger("P1").grant(
        ConsentPurpose.MARKETING, ContactChannel.SMS, at, evidence="form"
    )
    book = PartyBook(parties=[person("P1"), person("P2")], units=[flat()]).sell(
        FLAT, D(2025, 6, 1), "P1"
    )
    payer = book.payer(FLAT, D(2026, 3, 1))
    assert payer is not None
    return [
        *(label for label, _, _ in LABELS),
        Owner(relation_id="R1", party_id="P1", unit_id=FLAT, start=D(2026, 1, 1)).describe,
        payer.describe,
        DuplicateMatch(MatchReason.SAME_MOBILE, "E").describe,
        plan_merge(book, "P1", "P2").describe,
        MergeRecord("P1", "P2", AT, "T-1", (), ()).describe,
        ErasureRecord(("P1",), AT, "req", (), (), (), (), ()).describe,
        ledger.events[0].describe,
        ledger.may_contact(ConsentPurpose.MARKETING, ContactChannel.SMS, at).explain,
        *(c.describe for c in _conflicts().values()),
    ]


@pytest.mark.parametrize("locale", ["fr_FR", "zh", "en", "zh_TW", "zh_Hant_CN"])
def test_every_text_refuses_an_unsupported_locale(locale: str) -> None:
    for text in _texts():
        with pytest.raises(UnsupportedLocale):
            text(locale)
