"""Documents: the fee notice, the receipt and the dunning letter, rendered to HTML and PDF.

An optional extra (``pip install 'propcrm[documents]'``: Jinja2 and WeasyPrint). Each document
is a value built from the library's own (:class:`FeeNotice` from a
:class:`~propcrm.billing.Statement`, :class:`PaymentReceipt` from a
:class:`~propcrm.receivables.Receipt` and the account it credits, :class:`DunningLetter` from a
step due of :func:`~propcrm.receivables.due_steps`); :func:`render_html` lays it out with a
Jinja2 template whose text comes from propcrm's catalogs, and :func:`render_pdf` prints that
page through WeasyPrint with a CJK font. Amounts are in figures and in Chinese uppercase
(大写金额), with the due date, the late-fee rule and each line's explanation. A
:class:`TemplateSet` puts a community's own template folder in front of the shipped templates.

>>> november = opening_statement(
...     community="SUNRISE",
...     unit_id="1-2-0301",
...     period=BillingPeriod.month(2026, 11),
...     amount=Money("1063.00"),
...     due_on=pendulum.date(2026, 12, 10),
... )
>>> page = render_html(FeeNotice(november, community_name="阳光花园"), locale="en_US")
>>> "Property service fee notice" in page, "CN¥1,063.00" in page, "December 10, 2026" in page
(True, True, True)
"""

from propcrm.documents._documents import (
    Document,
    DunningLetter,
    FeeNotice,
    PaymentReceipt,
)
from propcrm.documents._rendering import (
    DEFAULT_TEMPLATES,
    TemplateSet,
    render_html,
    render_pdf,
)

__all__ = [
    "DEFAULT_TEMPLATES",
    "Document",
    "DunningLetter",
    "FeeNotice",
    "PaymentReceipt",
    "TemplateSet",
    "render_html",
    "render_pdf",
]


def __dir__() -> list[str]:
    return list(__all__)
