"""Locales: which ones propcrm writes text in, and how to check one before a batch of work.

Every call that writes text for people (``describe``, ``summary``, ``label``, :func:`format_money`
…) takes a ``locale``: ``"zh_CN"`` (the default) or ``"en_US"``, as a string in either spelling
(``"zh_CN"``, ``"zh-CN"``, any case) or a babel ``Locale``. Anything else raises
:class:`~propcrm.errors.UnsupportedLocale`, whose ``supported`` attribute lists the accepted ones.
A bare language (``"zh"``, ``"en"``) is refused rather than guessed at. See docs/i18n.md.

>>> from propcrm.i18n import SUPPORTED_LOCALES, check_locale
>>> SUPPORTED_LOCALES
('zh_CN', 'en_US')
>>> check_locale("zh-cn")
'zh_CN'
"""

from propcrm._i18n import DEFAULT_LOCALE, SUPPORTED_LOCALES, LocaleLike, check_locale

__all__ = ["DEFAULT_LOCALE", "SUPPORTED_LOCALES", "LocaleLike", "check_locale"]


def __dir__() -> list[str]:
    return list(__all__)
