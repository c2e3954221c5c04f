"""The demo's service desk and community business show what issues 16 and 17 promised.

A callback kept and one missed, a booking refused with its conflict and the next free slots, a
solution suggested on intake, and a notice delivered to its audience.
"""

from __future__ import annotations

from propcrm.demo import run_demo
from propcrm.demo._desk import run_desk


def test_the_desk_scenes_in_english() -> None:
    lines = run_desk("en_US").splitlines()
    assert lines[0] == "The service desk at work"
    assert "callback CB-C-01 to P01, due 2026-11-24T17:30:00+08:00: kept" in lines[2]
    assert "callback CB-C-02 to P04, due 2026-11-24T17:30:00+08:00: missed" in lines[3]
    refused = lines.index("A booking refused, with the next free slots")
    assert "W-07 has 10 minutes between A-01" in lines[refused + 1]
    assert lines[refused + 2].strip() == "next free slots: 11-24 10:30, 11-24 11:00, 11-24 13:30"
    suggested = next(i for i, line in enumerate(lines) if line.startswith("Intake R-06"))
    assert lines[suggested + 1].strip().startswith("KB-2@1 (score ")
    assert "same category" in lines[suggested + 1]
    assert lines[suggested + 2].strip() == "关总阀，更换角阀和密封圈"
    assert lines[-1].strip() == "N-08: 4 of 5 recipients proven; not yet: P07"
    # The meeting notice reaches the owners on the day: the buyer of 1-2-0302 on 2026-11-16, not
    # the seller, and the tenants not at all.
    owners = [line.strip() for line in lines if line.strip().startswith(("P0", "ORG-"))]
    assert [o.split(":")[0] for o in owners] == ["ORG-DEV", "P01", "P02", "P05", "P07"]


def test_the_desk_scenes_in_chinese() -> None:
    text = run_desk("zh_CN")
    assert "客服中心的一天" in text
    assert "已按时回电" in text
    assert "逾期未回电" in text
    assert "最近空闲时段：" in text
    assert "知识库建议" in text
    assert "N-08：5位收件人中4位已确认送达；尚未确认：P07" in text


def test_the_desk_comes_before_the_community() -> None:
    assert run_desk("en_US") in run_demo("en_US")


def test_the_community_scenes_in_english() -> None:
    """A vote passing on heads and failing on area, hot work, a release refused, prepaid money."""
    from propcrm.demo._community import run_community

    lines = [line.strip() for line in run_community("en_US").splitlines()]
    assert lines[0] == "The community's business"
    assert "Motion M1 (a fee adjustment, ordinary matter): not passed" in lines
    assert "consenting area: 360.00 of 960.00 (37.50%), more than 1/2: missed" in lines
    assert "consenting owners: 4 of 5 (80.00%), more than 1/2: met" in lines
    assert "hot work under DH-01 at 2026-12-10T10:00:00+08:00: allowed" in lines
    assert (
        "hot work under DH-01 at 2026-12-10T18:00:00+08:00: refused (after the permit's window)"
        in lines
    )
    # November's ¥1,000.00, due 10 December, and ten days of late fees at 0.3% a day.
    assert "release FX-0301 on 2026-12-20: refused (the unit is in arrears: CN¥1,030.00 owed)" in (
        lines
    )
    # The shop's ¥1,000.00 paid in ahead settles November's ¥566.80 on its issue date.
    prepaid = lines.index("A prepaid balance settles a notice on its issue date")
    assert lines[prepaid + 1 :] == [
        "2026-11-05 top-up BANK-20261105-07: +CN¥1,000.00; balance CN¥1,000.00",
        "2026-11-30 settlement of notice SUNRISE/2026-11/S-105: −CN¥566.80; balance CN¥433.20",
        "balance CN¥433.20 = topped up CN¥1,000.00 − settled CN¥566.80 − refunded CN¥0.00",
        "SUNRISE/2026-11/S-105 owes CN¥0.00 on its due date 2026-12-10",
    ]


def test_the_whole_demo_ends_with_the_community() -> None:
    from propcrm.demo._community import run_community

    assert run_demo("zh_CN").endswith(run_community("zh_CN"))
