"""Bad input to every public entry point of propcrm.documents is refused with a library error.

Each argument of the documents' constructors, :class:`~propcrm.documents.TemplateSet` and the
two renderers is fed the malformed values of its kind (:mod:`tests.bad_input`).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from tests.bad_input import assert_refused, bad_locales, bad_text, wrong_types
from tests.test_documents import _account, _letter, _receipt, _statement

from propcrm.documents import (
    DEFAULT_TEMPLATES,
    DunningLetter,
    FeeNotice,
    PaymentReceipt,
    TemplateSet,
    render_html,
    render_pdf,
)

pytest.importorskip("jinja2")

EXAMPLES = 12


@settings(max_examples=EXAMPLES)
@given(bad=wrong_types)
def test_fee_notice(bad: object) -> None:
    assert_refused(lambda: FeeNotice(bad))  # type: ignore[arg-type]


@settings(max_examples=EXAMPLES)
@given(bad=bad_text)
def test_fee_notice_community_name(bad: object) -> None:
    if bad is None:
        return  # optional: the statement's community code is printed
    assert_refused(lambda: FeeNotice(_statement(), community_name=bad))  # type: ignore[arg-type]


@settings(max_examples=EXAMPLES)
@given(bad=wrong_types)
def test_payment_receipt(bad: object) -> None:
    good = _receipt()
    assert_refused(lambda: PaymentReceipt(bad, good.account, "阳光花园"))  # type: ignore[arg-type]
    assert_refused(lambda: PaymentReceipt(good.receipt, bad, "阳光花园"))  # type: ignore[arg-type]


@settings(max_examples=EXAMPLES)
@given(bad=bad_text)
def test_payment_receipt_community_name(bad: object) -> None:
    good = _receipt()
    assert_refused(lambda: PaymentReceipt(good.receipt, good.account, bad))  # type: ignore[arg-type]


@settings(max_examples=EXAMPLES)
@given(bad=wrong_types)
def test_dunning_letter(bad: object) -> None:
    good = _letter()
    assert_refused(lambda: DunningLetter(bad, _account(), "阳光花园"))  # type: ignore[arg-type]
    assert_refused(lambda: DunningLetter(good.decision, bad, "阳光花园"))  # type: ignore[arg-type]


@settings(max_examples=EXAMPLES)
@given(bad=bad_text)
def test_dunning_letter_community_name(bad: object) -> None:
    good = _letter()
    assert_refused(lambda: DunningLetter(good.decision, good.account, bad))  # type: ignore[arg-type]


@settings(max_examples=EXAMPLES)
@given(bad=wrong_types)
def test_template_set(bad: object) -> None:
    if bad is None:
        return  # the shipped templates only
    assert_refused(lambda: TemplateSet(bad))  # type: ignore[arg-type]


@settings(max_examples=EXAMPLES)
@given(bad=bad_text)
def test_template_set_folder_text(bad: object) -> None:
    if bad is None:
        return
    assert_refused(lambda: TemplateSet(bad))  # type: ignore[arg-type]


@pytest.mark.parametrize("render", [render_html, render_pdf])
@settings(max_examples=EXAMPLES)
@given(bad=wrong_types)
def test_render_document_and_templates(render: object, bad: object) -> None:
    assert_refused(lambda: render(bad, locale="zh_CN"))  # type: ignore[operator]
    assert_refused(lambda: render(_statement(), templates=bad))  # type: ignore[operator]


@pytest.mark.parametrize("render", [render_html, render_pdf])
@settings(max_examples=EXAMPLES)
@given(bad=bad_locales)
def test_render_locale(render: object, bad: object) -> None:
    assert_refused(lambda: render(_statement(), locale=bad))  # type: ignore[operator]


@pytest.mark.parametrize("render", [render_html, render_pdf])
@settings(max_examples=EXAMPLES)
@given(bad=bad_text)
def test_render_template_name(render: object, bad: object) -> None:
    if bad is None:
        return  # the document's own template
    assert_refused(
        lambda: render(_statement(), templates=DEFAULT_TEMPLATES, template=bad)  # type: ignore[operator]
    )
