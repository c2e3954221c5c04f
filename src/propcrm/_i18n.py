"""Text for people, one way: gettext catalogs for zh_CN and en_US, the locale always explicit.

Every label, summary, explanation and notice propcrm writes for a resident or a member of staff
goes through the ``propcrm`` message catalogs in ``propcrm/locale/<locale>/LC_MESSAGES``. The
helpers below mirror the ``gettext`` module's ``gettext``, ``ngettext`` and ``pgettext``, with
two differences: the locale is a required keyword (nothing is installed process-wide, so two
threads may write in two languages at once), and keyword values are %-formatted into the
translated text, so that a translator can move them::

    >>> pgettext("rounding mode", "half-up", locale="zh_CN")
    '四舍五入'
    >>> [ngettext("%(num)d day", "%(num)d days", n, locale="en_US") for n in (1, 21)]
    ['1 day', '21 days']
    >>> ngettext("%(num)d day", "%(num)d days", 21, locale="zh-CN")
    '21天'

A locale is a babel ``Locale`` or a string; case and the separator (``_`` or ``-``) do not
matter. A bare language (``"zh"``, ``"en"``) is refused: ``zh`` alone could as well be Taiwan's
Traditional script, and the locale also picks CLDR's number and date formats, so propcrm does not
guess a region::

    >>> check_locale("zh-cn"), check_locale(Locale.parse("en_US"))
    ('zh_CN', 'en_US')
    >>> check_locale("zh")
    Traceback (most recent call last):
    ...
    propcrm.errors.UnsupportedLocale: locale 'zh' is not supported; propcrm writes text for \
'zh_CN' and 'en_US' only (a str such as 'zh_CN' or 'zh-CN', or a babel Locale). Did you mean \
'zh_CN'?

Messages that are %-formatted (every plural one, and any called with values) write a literal
percent sign as ``%%``.
"""

from __future__ import annotations

import functools
import operator
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from importlib import resources
from typing import Final, TypeAlias

from babel import Locale
from babel.core import parse_locale
from babel.numbers import format_percent
from babel.support import Translations

from propcrm.errors import UnsupportedLocale

__all__ = [
    "DEFAULT_LOCALE",
    "DOMAIN",
    "SUPPORTED_LOCALES",
    "LocaleLike",
    "check_locale",
    "gettext",
    "ngettext",
    "percent_text",
    "pgettext",
    "translations",
]

SUPPORTED_LOCALES: Final[tuple[str, ...]] = ("zh_CN", "en_US")
"""The locales propcrm writes text in: Simplified Chinese (mainland) and US English."""

DEFAULT_LOCALE: Final = "zh_CN"
"""The locale of every text-writing call that is not given one."""

DOMAIN: Final = "propcrm"
"""The gettext domain: the catalogs are ``locale/<locale>/LC_MESSAGES/propcrm.mo``."""

LocaleLike: TypeAlias = str | Locale
"""What a ``locale`` argument accepts: ``"zh_CN"``, ``"zh-CN"``, ``Locale.parse("en_US")`` …"""

# (language, territory) of each supported locale; a script may be given only if it is the one
# the language implies there (zh_Hans_CN is zh_CN, zh_Hant_CN is not).
_BY_PARTS: Final = {("zh", "CN"): "zh_CN", ("en", "US"): "en_US"}
_IMPLIED_SCRIPT: Final = {"zh": "Hans", "en": "Latn"}
# What a bare language most likely meant, for the error message only.
_SUGGEST: Final = {"zh": "zh_CN", "en": "en_US"}


def _refuse(value: object, hint: str = "") -> UnsupportedLocale:
    listed = " and ".join(repr(name) for name in SUPPORTED_LOCALES)
    return UnsupportedLocale(
        f"locale {value!r} is not supported; propcrm writes text for {listed} only "
        f"(a str such as 'zh_CN' or 'zh-CN', or a babel Locale).{hint}",
        locale=value,
        supported=SUPPORTED_LOCALES,
    )


def _canonical(
    value: object,
    language: str,
    territory: str | None,
    script: str | None,
    variant: str | None,
    modifier: str | None,
) -> str:
    name = _BY_PARTS.get((language, territory or ""))
    script_ok = script in (None, _IMPLIED_SCRIPT.get(language))
    if name is None or not script_ok or variant or modifier:
        suggestion = _SUGGEST.get(language)
        raise _refuse(value, f" Did you mean {suggestion!r}?" if suggestion else "")
    return name


@functools.cache
def _from_text(text: str) -> str:
    # Only accepted spellings are cached: a refusal raises, and raising is never cached.
    # The text is split, not looked up in CLDR: babel would resolve zh_Hant_CN to zh_Hans_CN.
    try:
        parts = parse_locale(text, sep="-" if "-" in text else "_")
    except ValueError:
        raise _refuse(text) from None
    language, territory, script, variant = parts[:4]
    modifier = parts[4] if len(parts) > 4 else None
    return _canonical(text, language, territory, script, variant, modifier)


def check_locale(locale: object) -> str:
    """The canonical name (``'zh_CN'`` or ``'en_US'``) of ``locale``, or ``UnsupportedLocale``.

    >>> check_locale("en-US")
    'en_US'
    >>> check_locale("fr_FR")
    Traceback (most recent call last):
    ...
    propcrm.errors.UnsupportedLocale: locale 'fr_FR' is not supported; propcrm writes text for \
'zh_CN' and 'en_US' only (a str such as 'zh_CN' or 'zh-CN', or a babel Locale).
    """
    if isinstance(locale, str):
        return locale if locale in SUPPORTED_LOCALES else _from_text(locale)
    if isinstance(locale, Locale):
        return _canonical(
            locale, locale.language, locale.territory, locale.script, locale.variant, None
        )
    raise _refuse(locale)


@functools.cache
def _load(name: str) -> Translations:
    mo = resources.files("propcrm") / "locale" / name / "LC_MESSAGES" / f"{DOMAIN}.mo"
    try:
        with mo.open("rb") as fp:
            return Translations(fp, domain=DOMAIN)
    except FileNotFoundError:
        # A packaging fault, not bad input: the .mo files are committed and shipped in the wheel.
        raise FileNotFoundError(
            f"propcrm's compiled catalog {mo} is missing; in a source checkout run "
            "`python scripts/i18n.py compile`, otherwise reinstall propcrm."
        ) from None


def translations(locale: LocaleLike) -> Translations:
    """The ``propcrm`` catalog of ``locale``, loaded once and shared (it is never changed).

    >>> translations("en_US").ngettext("%(num)d day", "%(num)d days", 2)
    '%(num)d days'
    """
    return _load(check_locale(locale))


def _format(text: str, values: dict[str, object]) -> str:
    return text % values if values else text


def gettext(message: str, /, *, locale: LocaleLike, **values: object) -> str:
    """``message`` in ``locale``, with ``values`` %-formatted into it.

    >>> gettext("%(percent)s%% per year", locale="zh_CN", percent="109.5")
    '每年109.5%'
    """
    return _format(translations(locale).gettext(message), values)


def ngettext(singular: str, plural: str, n: int, /, *, locale: LocaleLike, **values: object) -> str:
    """The plural form of ``locale`` for the count ``n``; ``num`` is ``n`` unless given.

    Chinese has one form for every count, English two; the catalog's ``Plural-Forms`` header,
    from CLDR, decides.

    >>> ngettext("%(num)d day", "%(num)d days", 1, locale="zh_CN")
    '1天'
    """
    count = operator.index(n)
    values.setdefault("num", count)
    return _format(translations(locale).ngettext(singular, plural, count), values)


def pgettext(context: str, message: str, /, *, locale: LocaleLike, **values: object) -> str:
    """``message`` as meant in ``context``: the same English word may need two translations.

    >>> pgettext("period kind", "month", locale="zh_CN")
    '月度'
    """
    # babel types pgettext's result loosely; a catalog of text holds only str.
    return _format(str(translations(locale).pgettext(context, message)), values)


#: What a share that cannot be taken (nothing to divide by) prints as.
NO_SHARE: Final = "—"


def percent_text(share: Fraction | None, /, *, places: int, locale: LocaleLike) -> str:
    """``share`` as a percentage for people: exact, rounded half up once to ``places`` places.

    The locale's pattern comes from Babel (CLDR); the rounding is done first, on the exact
    fraction, so Babel's own (half even, over a float-free but already rounded value) never
    changes a digit. ``None`` (a share of nothing) prints as a dash.

    >>> percent_text(Fraction(1, 16), places=1, locale="zh_CN")
    '6.3%'
    >>> percent_text(Fraction(2, 3), places=2, locale="en_US")
    '66.67%'
    >>> percent_text(None, places=1, locale="en_US")
    '—'
    """
    if share is None:
        return NO_SHARE
    with localcontext() as exact:
        # Enough digits for any count a community holds; never the caller's ambient context.
        exact.prec = 60
        value = Decimal(share.numerator) * 100 / Decimal(share.denominator)
        fraction = value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP).scaleb(-2)
    pattern = "#,##0" + ("." + "0" * places if places else "") + "%"
    return format_percent(fraction, pattern, locale=check_locale(locale))
