"""A small labelled solution base: entries a desk would write, and queries residents would make.

Each query names the entry a member of staff judged the right answer (issue 16 asks for the
recall of such a set, reported by a test). The queries are worded as callers word them, not as
the entries are written: synonyms (臭味/反味), colloquial English, a shared category but other
words. Kept apart from the tests so that the benchmark can reuse it later.
"""

from __future__ import annotations

import pendulum

from propcrm.billing import PropertyType
from propcrm.classification import Category
from propcrm.solutions import SolutionApproval, SolutionEntry

AT = pendulum.datetime(2026, 11, 24, 10, 0, tz="Asia/Shanghai")
C = Category

# Each row: the id, the category, the problem, its cause, the fix, the parts and keywords.
_ROWS = [
    (
        "KB-01",
        C.BLOCKED_DRAIN,
        "卫生间地漏反味",
        "存水弯干涸，下水道臭气上返",
        "往地漏注水，加装防臭地漏芯",
        ("防臭地漏芯",),
        ("drain smell", "odour"),
    ),
    (
        "KB-02",
        C.BLOCKED_DRAIN,
        "厨房下水道堵塞，水槽不下水",
        "油污和食物残渣积在弯管",
        "拆洗存水弯，用疏通机清通",
        (),
        ("clogged sink", "blocked drain"),
    ),
    (
        "KB-03",
        C.WATER_LEAK,
        "厨房水管漏水",
        "角阀老化，接口密封圈开裂",
        "关闭总阀，更换角阀和密封圈",
        ("角阀", "密封圈"),
        ("water leak", "pipe leaking"),
    ),
    (
        "KB-04",
        C.ROOF_LEAK,
        "顶楼天花板渗水，下雨后更严重",
        "屋面防水层老化开裂",
        "屋面清理后重做防水涂层",
        ("防水涂料",),
        ("roof leak", "ceiling stain"),
    ),
    (
        "KB-05",
        C.WATER_LEAK,
        "楼上漏水到我家卫生间天花板",
        "楼上卫生间防水层破损",
        "协调楼上住户闭水试验后修补防水",
        (),
        ("leak from upstairs",),
    ),
    (
        "KB-06",
        C.LIFT_FAULT,
        "电梯门关不上，反复开关",
        "门机光幕被遮挡或脏污",
        "清洁光幕，调整门机",
        (),
        ("lift door", "elevator door won't close"),
    ),
    (
        "KB-07",
        C.LIFT_ENTRAPMENT,
        "电梯困人",
        "电梯停电或故障停在两层之间",
        "安抚被困人员，维保人员到场手动盘车放人",
        (),
        ("trapped in lift", "elevator stuck"),
    ),
    (
        "KB-08",
        C.POWER_OUTAGE,
        "家里突然停电，空气开关跳闸",
        "某路电器短路或漏电",
        "逐路排查，断开故障电器后合闸",
        (),
        ("power cut", "breaker tripped"),
    ),
    (
        "KB-09",
        C.ELECTRICAL_FAULT,
        "插座没电",
        "插座接线松动",
        "断电后重新压接接线端子",
        ("插座面板",),
        ("socket not working", "no power at outlet"),
    ),
    (
        "KB-10",
        C.COMMON_AREA_LIGHTING,
        "楼道灯不亮",
        "声控开关损坏或灯泡烧坏",
        "更换声控开关或LED灯泡",
        ("声控开关", "LED灯泡"),
        ("stairwell light out", "corridor lamp"),
    ),
    (
        "KB-11",
        C.DOOR_LOCK,
        "单元门禁刷卡打不开",
        "门禁卡未授权或读卡器故障",
        "重新授权门禁卡，检查读卡器",
        ("门禁卡",),
        ("access card", "entrance door"),
    ),
    (
        "KB-12",
        C.INTERCOM,
        "可视对讲没有声音",
        "室内分机音频线接触不良",
        "重新接线，必要时更换分机",
        ("室内分机",),
        ("intercom no sound", "doorbell"),
    ),
    (
        "KB-13",
        C.NO_WATER,
        "家里没水，水龙头不出水",
        "二次供水水泵故障或水箱清洗停水",
        "确认停水通知，检修水泵",
        (),
        ("no water", "tap dry"),
    ),
    (
        "KB-14",
        C.HEATING_AIR_CONDITIONING,
        "暖气不热",
        "管道里有空气，阀门未全开",
        "暖气片排气，打开进回水阀门",
        (),
        ("radiator cold", "heating not warm"),
    ),
    (
        "KB-15",
        C.NOISE,
        "楼上装修噪音太大，中午也在施工",
        "装修时间未遵守管理规约",
        "告知装修时间规定，巡查并记录",
        (),
        ("renovation noise", "drilling at noon"),
    ),
    (
        "KB-16",
        C.PEST,
        "小区里老鼠多",
        "垃圾站清运不及时",
        "投放鼠药，加密垃圾清运",
        ("鼠药",),
        ("rats", "mice"),
    ),
    (
        "KB-17",
        C.PARKING,
        "车位被别人的车占了",
        "外来车辆未登记停放",
        "联系车主挪车，加强道闸登记",
        (),
        ("parking space taken", "car in my spot"),
    ),
    (
        "KB-18",
        C.GREENING,
        "楼下的树枝挡住窗户",
        "绿化修剪不及时",
        "安排园林工修剪树枝",
        (),
        ("tree branches", "pruning"),
    ),
    (
        "KB-19",
        C.CLEANING,
        "楼道里有垃圾没人清扫",
        "保洁排班遗漏",
        "调整保洁排班，当日清扫",
        (),
        ("dirty stairwell", "rubbish in corridor"),
    ),
    (
        "KB-20",
        C.FACILITY_DAMAGE,
        "小区健身器材坏了",
        "器材螺栓松动断裂",
        "停用并挂牌，更换螺栓后复用",
        ("螺栓",),
        ("broken gym equipment", "fitness equipment"),
    ),
    (
        "KB-21",
        C.PET,
        "邻居的狗在楼道里随地大小便",
        "养犬人未及时清理",
        "提醒养犬人文明养犬，保洁清理",
        (),
        ("dog mess", "pet waste"),
    ),
    (
        "KB-22",
        C.GAS_SMELL,
        "厨房有煤气味",
        "燃气软管老化漏气",
        "关闭燃气阀门，开窗通风，通知燃气公司更换软管",
        ("燃气软管",),
        ("gas smell", "gas leak"),
    ),
]


def _entry(row: tuple[object, ...]) -> SolutionEntry:
    entry_id, category, problem, cause, fix, parts, keywords = row
    return SolutionEntry(
        entry_id=entry_id,
        problem=problem,
        cause=cause,
        fix=fix,
        category=category,
        unit_type=PropertyType.RESIDENTIAL,
        parts=parts,
        keywords=keywords,
        author="S-07",
        written_at=AT,
        approval=SolutionApproval("S-01", AT.add(hours=1)),
    )


ENTRIES = tuple(_entry(row) for row in _ROWS)

# Each: the query, the category the desk chose, and the entry that answers it.
LABELLED = [
    ("卫生间有臭味，地漏往上冒味道", C.BLOCKED_DRAIN, "KB-01"),
    ("厨房水槽堵了，水下不去", C.BLOCKED_DRAIN, "KB-02"),
    ("厨房水管接口一直在漏水", C.WATER_LEAK, "KB-03"),
    ("下雨以后顶楼天花板渗水", C.ROOF_LEAK, "KB-04"),
    ("楼上邻居家漏水，我家卫生间顶上湿了", C.WATER_LEAK, "KB-05"),
    ("电梯门一直关不上", C.LIFT_FAULT, "KB-06"),
    ("有人被困在电梯里了", C.LIFT_ENTRAPMENT, "KB-07"),
    ("家里跳闸停电了", C.POWER_OUTAGE, "KB-08"),
    ("卧室插座没电", C.ELECTRICAL_FAULT, "KB-09"),
    ("三楼楼道灯坏了不亮", C.COMMON_AREA_LIGHTING, "KB-10"),
    ("门禁卡刷不开单元门", C.DOOR_LOCK, "KB-11"),
    ("对讲机听不到声音", C.INTERCOM, "KB-12"),
    ("水龙头不出水了", C.NO_WATER, "KB-13"),
    ("暖气片不热", C.HEATING_AIR_CONDITIONING, "KB-14"),
    ("楼上装修中午还在施工，噪音很大", C.NOISE, "KB-15"),
    ("看到好几只老鼠", C.PEST, "KB-16"),
    ("我的车位被占了", C.PARKING, "KB-17"),
    ("树枝挡住了我家窗户", C.GREENING, "KB-18"),
    ("燃气味道很重", C.GAS_SMELL, "KB-22"),
    # English, as an expatriate tenant writes on the app
    ("water leaking from the kitchen pipe", C.WATER_LEAK, "KB-03"),
    ("the elevator door won't close", C.LIFT_FAULT, "KB-06"),
    ("breaker tripped, power cut in the flat", C.POWER_OUTAGE, "KB-08"),
    ("rats near the rubbish station", C.PEST, "KB-16"),
    ("someone parked in my parking space", C.PARKING, "KB-17"),
]
