"""propcrm.documents: fee notices, receipts and dunning letters rendered to HTML and PDF."""

from __future__ import annotations

import importlib
import io
import os
import pathlib

import pendulum
import pytest

from propcrm.billing import Statement, opening_statement
from propcrm.demo import sample_statements
from propcrm.documents import (
    DEFAULT_TEMPLATES,
    DunningLetter,
    FeeNotice,
    PaymentReceipt,
    TemplateSet,
    render_html,
    render_pdf,
)
from propcrm.errors import DocumentError, InvalidType, MissingExtra, TemplateError
from propcrm.money import Money
from propcrm.receivables import Account, DunningPlan, PayerRole, Receipt, due_steps
from propcrm.time import BillingPeriod

pytest.importorskip("jinja2")

LOCALES = ("zh_CN", "en_US")


def _statement() -> Statement:
    # The demo's first flat: management fee, a parking space and tiered water, ¥466.48.
    return sample_statements()[0]


def _account() -> Account:
    return Account("1-2-0301", billed_party="owner-17").post(_statement())


def _letter() -> DunningLetter:
    account = _account()
    (decision,) = due_steps(
        DunningPlan("SUNRISE"), [account], as_of=pendulum.date(2027, 1, 20)
    ).decisions
    return DunningLetter(decision, account, community_name="阳光花园")


def _receipt() -> PaymentReceipt:
    paid = Receipt(
        "BANK-20261205-0001",
        Money("500.00"),
        received_on=pendulum.date(2026, 12, 5),
        payer="tenant-3",
        role=PayerRole.OCCUPANT_FOR_OWNER,
    )
    return PaymentReceipt(paid, _account().post(paid), community_name="阳光花园")


# What each document must show, in each locale: amounts in figures, the uppercase, the dates.
EXPECTED = {
    ("notice", "zh_CN"): [
        "物业服务费缴费通知单",
        "阳光花园",
        "¥466.48",
        "¥250.24",
        "人民币肆佰陆拾陆元肆角捌分",
        "2026年12月10日",
        "千分之三",
        "单价 × 建筑面积 × 月数",
        "阶梯",
    ],
    ("notice", "en_US"): [
        "Property service fee notice",
        "CN¥466.48",
        "CN¥250.24",
        "人民币肆佰陆拾陆元肆角捌分",
        "December 10, 2026",
        "0.3%",
        "unit price × building area × months",
        "tiers",
    ],
    ("receipt", "zh_CN"): [
        "收据",
        "BANK-20261205-0001",
        "¥500.00",
        "人民币伍佰元整",
        "2026年12月5日",
        "¥466.48",
        "转为预存",
        "¥33.52",
        "使用人代业主缴纳",
    ],
    ("receipt", "en_US"): [
        "Receipt",
        "CN¥500.00",
        "人民币伍佰元整",
        "December 5, 2026",
        "Kept as credit",
        "CN¥33.52",
        "an occupant, for the owner",
    ],
    ("letter", "zh_CN"): [
        "催缴通知",
        "¥523.86",
        "¥57.38",
        "人民币伍佰贰拾叁元捌角陆分",
        "请于2027年1月27日前缴清。",
        "2026年12月10日",
        "千分之三",
    ],
    ("letter", "en_US"): [
        "Notice of fees overdue",
        "CN¥523.86",
        "CN¥57.38",
        "人民币伍佰贰拾叁元捌角陆分",
        "Please pay by January 27, 2027.",
        "0.3%",
    ],
}


def _document(kind: str) -> object:
    if kind == "notice":
        return FeeNotice(_statement(), community_name="阳光花园")
    return _receipt() if kind == "receipt" else _letter()


@pytest.mark.parametrize(("kind", "locale"), sorted(EXPECTED))
def test_html_holds_the_amounts_the_uppercase_and_the_dates(kind: str, locale: str) -> None:
    page = render_html(_document(kind), locale=locale)
    assert page.startswith("<!DOCTYPE html>")
    assert f'<html lang="{locale.replace("_", "-")}">' in page
    missing = [text for text in EXPECTED[kind, locale] if text not in page]
    assert missing == []


def test_the_text_comes_from_the_catalog_of_the_locale() -> None:
    zh = render_html(_statement(), locale="zh-CN")
    en = render_html(_statement(), locale="en_US")
    assert "缴费截止日：" in zh
    assert "Due by" not in zh
    assert "Due by:" in en
    assert "缴费截止日" not in en


def test_a_bare_statement_is_printed_as_its_fee_notice_under_its_community_code() -> None:
    page = render_html(_statement(), locale="zh_CN")
    assert '<p class="community">SUNRISE</p>' in page
    assert page == render_html(FeeNotice(_statement()), locale="zh_CN")


def test_a_prorated_line_and_a_rolled_due_date_say_so() -> None:
    sold = next(s for s in sample_statements() if s.billed_party == "张**")
    page = render_html(sold, locale="en_US")
    assert "prorated 2026-11-01–2026-11-15 15/30" in page
    assert "张**" in page


def test_text_is_escaped() -> None:
    notice = opening_statement(
        community="SUNRISE",
        unit_id="1-2-0301",
        period=BillingPeriod.month(2026, 11),
        amount=Money("10.00"),
        due_on=pendulum.date(2026, 12, 10),
        billed_party="<b>x</b>",
    )
    page = render_html(notice, locale="en_US")
    assert "<b>x</b>" not in page
    assert "&lt;b&gt;x&lt;/b&gt;" in page


def test_a_receipt_not_posted_to_the_account_is_refused() -> None:
    paid = Receipt("BANK-9", Money("1.00"), received_on=pendulum.date(2026, 12, 5))
    with pytest.raises(DocumentError) as caught:
        PaymentReceipt(paid, _account(), community_name="阳光花园")
    assert caught.value.context["unit_id"] == "1-2-0301"
    assert caught.value.value == "BANK-9"


def test_a_letter_needs_a_step_due_and_its_own_account() -> None:
    account = _account()
    (waiting,) = due_steps(
        DunningPlan("SUNRISE"), [account], as_of=pendulum.date(2026, 12, 10)
    ).decisions
    assert waiting.kind.value != "step_due"
    with pytest.raises(DocumentError, match="not a step due"):
        DunningLetter(waiting, account, community_name="阳光花园")
    letter = _letter()
    with pytest.raises(DocumentError, match="give the account the decision was made on"):
        DunningLetter(letter.decision, Account("9-9-0909"), community_name="阳光花园")


@pytest.mark.parametrize("bad", [None, 3, "statement", Money("1.00")])
def test_anything_but_a_document_is_refused(bad: object) -> None:
    with pytest.raises(InvalidType):
        render_html(bad, locale="zh_CN")


def test_a_community_overrides_one_template_and_keeps_the_others(tmp_path: pathlib.Path) -> None:
    (tmp_path / "fee_notice.html").write_text(
        '{% extends "base.html" %}{% block title %}{{ _("Property service fee notice") }}'
        "{% endblock %}{% block body %}<p>[{{ unit }}] {{ total.figures }} "
        "{{ total.words }} {{ due_on }}</p>{% endblock %}",
        encoding="utf-8",
    )
    mine = TemplateSet(tmp_path)
    page = render_html(_statement(), locale="zh_CN", templates=mine)
    assert "<p>[1-2-0301] ¥466.48 人民币肆佰陆拾陆元肆角捌分 2026年12月10日</p>" in page
    assert "物业服务费缴费通知单" in page  # the shipped base and the catalog still serve it
    assert "<table" not in page
    # The receipt is not overridden: the shipped one renders.
    assert render_html(_receipt(), locale="zh_CN", templates=mine) == render_html(
        _receipt(), locale="zh_CN"
    )


def test_a_community_restyles_every_document(tmp_path: pathlib.Path) -> None:
    (tmp_path / "style.css").write_text("h1 { color: #c00; }", encoding="utf-8")
    page = render_html(_letter(), locale="en_US", templates=TemplateSet(str(tmp_path)))
    assert "h1 { color: #c00; }" in page
    assert "Noto Sans CJK SC" not in page


def test_another_template_by_name(tmp_path: pathlib.Path) -> None:
    (tmp_path / "short.txt").write_text("{{ unit }}|{{ total.words }}", encoding="utf-8")
    page = render_html(
        _statement(), locale="zh_CN", templates=TemplateSet(tmp_path), template="short.txt"
    )
    assert page == "1-2-0301|人民币肆佰陆拾陆元肆角捌分"


def test_template_faults_name_the_template(tmp_path: pathlib.Path) -> None:
    with pytest.raises(TemplateError, match="not a folder") as caught:
        TemplateSet(tmp_path / "missing")
    assert caught.value.field == "folder"
    with pytest.raises(TemplateError, match=r"'nowhere\.html'") as missing:
        render_html(_statement(), locale="zh_CN", template="nowhere.html")
    assert missing.value.value == "nowhere.html"
    (tmp_path / "fee_notice.html").write_text("{% if %}", encoding="utf-8")
    with pytest.raises(TemplateError, match="TemplateSyntaxError"):
        render_html(_statement(), locale="zh_CN", templates=TemplateSet(tmp_path))
    (tmp_path / "receipt.html").write_text("{{ no_such_field }}", encoding="utf-8")
    with pytest.raises(TemplateError, match="no_such_field") as undefined:
        render_html(_receipt(), locale="zh_CN", templates=TemplateSet(tmp_path))
    assert undefined.value.context["folder"] == str(tmp_path)


def test_the_shipped_templates() -> None:
    assert DEFAULT_TEMPLATES.folder is None
    assert TemplateSet.names() == (
        "base.html",
        "dunning_letter.html",
        "fee_notice.html",
        "receipt.html",
        "style.css",
    )
    css = render_html(_statement(), locale="zh_CN")
    assert '"Noto Sans CJK SC"' in css
    assert '"Noto Serif CJK SC"' in css


def test_missing_weasyprint_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.import_module

    def without_weasyprint(name: str, package: str | None = None) -> object:
        if name == "weasyprint":
            raise ModuleNotFoundError("No module named 'weasyprint'", name="weasyprint")
        return real(name, package)

    monkeypatch.setattr(importlib, "import_module", without_weasyprint)
    with pytest.raises(MissingExtra, match=r"propcrm\[documents\]") as caught:
        render_pdf(_statement(), locale="zh_CN")
    assert caught.value.context["extra"] == "documents"
    assert isinstance(caught.value, ImportError)


def test_missing_pango_names_the_system_packages(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.import_module

    def without_pango(name: str, package: str | None = None) -> object:
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real(name, package)

    monkeypatch.setattr(importlib, "import_module", without_pango)
    with pytest.raises(MissingExtra, match=r"libpango-1\.0-0 libpangoft2-1\.0-0"):
        render_pdf(_statement(), locale="zh_CN")


# -- PDF ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def weasyprint() -> object:
    """WeasyPrint with Pango; skipped without them unless CI insists (PROPCRM_REQUIRE_DOCUMENTS)."""
    try:
        return importlib.import_module("weasyprint")
    except (ImportError, OSError) as error:
        if os.environ.get("PROPCRM_REQUIRE_DOCUMENTS") == "1":
            pytest.fail(f"PROPCRM_REQUIRE_DOCUMENTS=1 but WeasyPrint cannot load: {error}")
        pytest.skip(f"WeasyPrint cannot load: {error}")


def _pdf_text(pdf: bytes) -> str:
    pypdf = pytest.importorskip("pypdf")
    pages = pypdf.PdfReader(io.BytesIO(pdf)).pages
    return "\n".join(page.extract_text() for page in pages)


@pytest.mark.documents
@pytest.mark.usefixtures("weasyprint")
@pytest.mark.parametrize(("kind", "locale"), sorted(EXPECTED))
def test_the_pdf_text_holds_the_amounts_the_uppercase_and_the_dates(kind: str, locale: str) -> None:
    pdf = render_pdf(_document(kind), locale=locale)
    assert pdf.startswith(b"%PDF-")
    text = _pdf_text(pdf)
    missing = [t for t in EXPECTED[kind, locale] if t not in text]
    assert missing == []


@pytest.mark.documents
@pytest.mark.usefixtures("weasyprint")
def test_the_pdf_embeds_a_cjk_font() -> None:
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(io.BytesIO(render_pdf(_statement(), locale="zh_CN")))
    fonts = {
        str(font.get_object()["/BaseFont"])
        for font in reader.pages[0]["/Resources"]["/Font"].values()
    }
    assert {"Noto-Sans-CJK-SC", "Noto-Serif-CJK-SC"} <= {n.split("+")[-1] for n in fonts}
