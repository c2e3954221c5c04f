"""Templates found, bound to the catalogs, and rendered to HTML or (through WeasyPrint) PDF.

Jinja2 and WeasyPrint are the ``documents`` extra: they are imported on first use, so that
``propcrm.documents`` imports without them and a missing one is reported as
:class:`~propcrm.errors.MissingExtra` naming the extra, not as a bare ``ImportError``.
"""

from __future__ import annotations

import functools
import importlib
import pathlib
from types import ModuleType
from typing import TYPE_CHECKING, Any

import attrs

from propcrm._i18n import DEFAULT_LOCALE, LocaleLike, check_locale, translations
from propcrm._validators import check_instance, check_text
from propcrm.documents._documents import as_document
from propcrm.errors import InvalidType, MissingExtra, TemplateError

if TYPE_CHECKING:
    import jinja2

__all__ = ["DEFAULT_TEMPLATES", "TemplateSet", "render_html", "render_pdf"]

_EXTRA = "pip install 'propcrm[documents]'"


def _jinja() -> ModuleType:
    try:
        return importlib.import_module("jinja2")
    except ImportError as error:
        raise MissingExtra(
            f"rendering documents needs Jinja2: {_EXTRA}.",
            field="jinja2",
            value=None,
            allowed="Jinja2 3.1 or later installed",
            extra="documents",
            module="jinja2",
        ) from error


def _weasyprint() -> Any:
    try:
        return importlib.import_module("weasyprint")
    except ImportError as error:
        raise MissingExtra(
            f"rendering a PDF needs WeasyPrint: {_EXTRA} (render_html needs only Jinja2).",
            field="weasyprint",
            value=None,
            allowed="WeasyPrint installed",
            extra="documents",
            module="weasyprint",
        ) from error
    except OSError as error:
        # WeasyPrint is installed but cannot load Pango, which it finds at import time.
        raise MissingExtra(
            f"WeasyPrint is installed but cannot load its system libraries ({error}); install "
            "Pango (Debian: libpango-1.0-0 libpangoft2-1.0-0) and a CJK font "
            "(Debian: fonts-noto-cjk).",
            field="weasyprint",
            value=None,
            allowed="WeasyPrint with Pango installed",
            extra="documents",
            module="weasyprint",
        ) from error


def _folder(value: object) -> pathlib.Path | None:
    if value is None:
        return None
    check_instance(value, "folder", str, pathlib.PurePath, example="'templates/'")
    if isinstance(value, str):
        # Empty text would be the current folder, which nobody means by it.
        check_text(value, "folder", TemplateError, example="'templates/'")
    path = pathlib.Path(value)  # type: ignore[arg-type]  # str or PurePath, checked above
    if not path.is_dir():
        raise TemplateError(
            f"template folder {str(path)!r} is not a folder; give the folder that holds your "
            "templates (any of fee_notice.html, receipt.html, dunning_letter.html, base.html, "
            "style.css).",
            field="folder",
            value=str(path),
            allowed="an existing folder",
        )
    return path


@attrs.frozen
class TemplateSet:
    """Where the templates are found: the user's folder first, then the ones shipped.

    A template in ``folder`` replaces the shipped one of the same name; the others stay. So a
    community overrides only its fee notice with ``fee_notice.html``, or only the look with
    ``style.css``; its templates may ``{% extends "base.html" %}`` like the shipped ones. The
    shipped templates are listed by :meth:`names`.

    Attributes:
        folder: the user's template folder (``None``: the shipped templates only).

    >>> DEFAULT_TEMPLATES.names()
    ('base.html', 'dunning_letter.html', 'fee_notice.html', 'receipt.html', 'style.css')
    """

    folder: pathlib.Path | None = attrs.field(default=None, converter=_folder)

    @staticmethod
    def names() -> tuple[str, ...]:
        """The names of the shipped templates, each of which a folder may override."""
        return tuple(sorted(p.name for p in _SHIPPED.iterdir() if p.suffix in {".html", ".css"}))


_SHIPPED = pathlib.Path(__file__).parent / "templates"

DEFAULT_TEMPLATES = TemplateSet()
"""The shipped templates only."""


@functools.cache
def _environment(templates: TemplateSet, locale: str) -> jinja2.Environment:
    jinja = _jinja()
    loaders = [jinja.FileSystemLoader(_SHIPPED)]
    if templates.folder is not None:
        loaders.insert(0, jinja.FileSystemLoader(templates.folder))
    environment: jinja2.Environment = jinja.Environment(
        loader=jinja.ChoiceLoader(loaders),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        # A misspelt name in a user's template fails loudly rather than printing nothing.
        undefined=jinja.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Bound to propcrm's own catalog: the templates' text is translated with every other
    # message, and a user's template may use any msgid the catalog holds.
    environment.install_gettext_translations(  # type: ignore[attr-defined]
        translations(locale), newstyle=True
    )
    return environment


def render_html(
    document: object,
    *,
    locale: LocaleLike = DEFAULT_LOCALE,
    templates: TemplateSet = DEFAULT_TEMPLATES,
    template: str | None = None,
) -> str:
    """The document as a complete HTML page, in ``locale``.

    Args:
        document: a :class:`FeeNotice`, :class:`PaymentReceipt` or :class:`DunningLetter`; a
            bare :class:`~propcrm.billing.Statement` is printed as its fee notice.
        locale: ``zh_CN`` or ``en_US``; the community's name, the fee items, the billed party
            and the amount in Chinese uppercase are printed as they are in every locale.
        templates: where the templates are found (the user's folder first).
        template: another template's name to render with (default: the document's own).

    Raises:
        MissingExtra: Jinja2 is not installed (the ``documents`` extra).
        TemplateError: the template is missing, malformed, or fails while rendering.

    >>> notice = opening_statement(
    ...     community="SUNRISE",
    ...     unit_id="1-2-0301",
    ...     period=BillingPeriod.month(2026, 11),
    ...     amount=Money("1063.00"),
    ...     due_on=pendulum.date(2026, 12, 10),
    ... )
    >>> page = render_html(notice, locale="zh_CN")
    >>> "人民币壹仟零陆拾叁元整" in page, "¥1,063.00" in page, "2026年12月10日" in page
    (True, True, True)
    """
    name = check_locale(locale)
    doc = as_document(document)
    check_instance(templates, "templates", TemplateSet, example="TemplateSet('my-templates')")
    chosen = doc.template if template is None else check_text(template, "template", InvalidType)
    jinja = _jinja()
    environment = _environment(templates, name)
    try:
        page = environment.get_template(chosen)
        return page.render(doc.context(name), lang=name.replace("_", "-"), locale=name)
    except jinja.TemplateError as error:
        where = "the shipped templates" if templates.folder is None else str(templates.folder)
        raise TemplateError(
            f"template {chosen!r} could not be rendered from {where}: "
            f"{type(error).__name__}: {error}",
            field="template",
            value=chosen,
            allowed=f"a template in {where} or one of {', '.join(TemplateSet.names())}",
            folder=None if templates.folder is None else str(templates.folder),
            error=error,
        ) from error


def render_pdf(
    document: object,
    *,
    locale: LocaleLike = DEFAULT_LOCALE,
    templates: TemplateSet = DEFAULT_TEMPLATES,
    template: str | None = None,
) -> bytes:
    """The document as a PDF (A4), through WeasyPrint; the bytes of the file.

    The same HTML as :func:`render_html`; its style names Noto Sans CJK SC and Noto Serif CJK
    SC first (Debian's ``fonts-noto-cjk``), then other CJK fonts, so Chinese prints without
    missing glyphs wherever one of them is installed.

    Raises:
        MissingExtra: Jinja2 or WeasyPrint is not installed (the ``documents`` extra), or
            WeasyPrint cannot load Pango.
        TemplateError: the template is missing, malformed, or fails while rendering.
    """
    html = render_html(document, locale=locale, templates=templates, template=template)
    weasyprint = _weasyprint()
    base = _SHIPPED if templates.folder is None else templates.folder
    pdf: bytes = weasyprint.HTML(string=html, base_url=str(base)).write_pdf()
    return pdf
