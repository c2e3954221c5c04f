"""The one exception hierarchy of propcrm.

Every error the library raises on bad input derives from :class:`PropcrmError` *and* from the
nearest builtin, so callers can catch either ``PropcrmError`` (everything from this library) or
the builtin they already handle (``ValueError``, ``TypeError``, ``LookupError``)::

    PropcrmError
    ├── InvalidAmount (ValueError)            a float, NaN, infinity, non-decimal text, bool …
    │   └── AmountOutOfRange                   outside what an operation accepts (e.g. 大写金额)
    ├── CurrencyMismatch (TypeError)          arithmetic or ordering across currencies
    ├── UnknownCurrency (ValueError)          not an ISO 4217 code
    ├── UnsupportedCurrency (ValueError)      a valid code that an operation does not support
    ├── InvalidRate (ValueError)              a rate that is not a finite decimal, or negative
    ├── RateBasisMismatch (TypeError)         adding or ordering a daily and a yearly rate
    ├── InvalidAllocation (ValueError)        ratios that are empty, negative or all zero
    ├── InvalidMoneyText (ValueError)         text that does not parse as an amount in a locale
    ├── NaiveDatetime (ValueError)            a datetime without a time zone
    ├── UnknownTimeZone (ValueError)          not an IANA zone name
    ├── InvalidPeriod (ValueError)            a billing period that is not aligned or malformed
    ├── InvalidQuantity (ValueError)          an area, count or consumption that makes no sense
    │   └── InvalidMeterReading               a reading below the previous one, not a replacement
    ├── InvalidPolicy (ValueError)            a policy value outside its allowed range
    ├── NotBillable (ValueError)              a unit billed for a period it has no billable day in
    ├── OverlappingVersions (ValueError)      two versions effective the same day, or one name twice
    ├── TariffError (ValueError)
    │   ├── TariffNoticeTooShort               takes effect too soon after its announcement
    │   └── NoTariffInForce (LookupError)      no version applies on a date
    └── PriceListError (ValueError)
        ├── NoPriceListInForce (LookupError)   no price list applies on a date
        └── UnknownPriceItem (LookupError)     a service code missing from the price list

Messages say what was wrong and what is allowed:

>>> from propcrm.money import Money
>>> Money(0.1)
Traceback (most recent call last):
...
propcrm.errors.InvalidAmount: amount 0.1 is a float; floats cannot hold fen exactly. Pass a str, \
int or Decimal instead, e.g. Money('0.10').
"""

from __future__ import annotations

__all__ = [
    "AmountOutOfRange",
    "CurrencyMismatch",
    "InvalidAllocation",
    "InvalidAmount",
    "InvalidMeterReading",
    "InvalidMoneyText",
    "InvalidPeriod",
    "InvalidPolicy",
    "InvalidQuantity",
    "InvalidRate",
    "NaiveDatetime",
    "NoPriceListInForce",
    "NoTariffInForce",
    "NotBillable",
    "OverlappingVersions",
    "PriceListError",
    "PropcrmError",
    "RateBasisMismatch",
    "TariffError",
    "TariffNoticeTooShort",
    "UnknownCurrency",
    "UnknownPriceItem",
    "UnknownTimeZone",
    "UnsupportedCurrency",
]


class PropcrmError(Exception):
    """Base of every error propcrm raises on bad input or a refused change."""


class InvalidAmount(PropcrmError, ValueError):
    """An amount that is not an exact, finite decimal (a float, NaN, infinity, bad text)."""


class AmountOutOfRange(InvalidAmount):
    """A well-formed amount outside the range an operation accepts."""


class CurrencyMismatch(PropcrmError, TypeError):
    """Arithmetic or ordering between amounts of different currencies."""


class UnknownCurrency(PropcrmError, ValueError):
    """A currency code that is not a known ISO 4217 code."""


class UnsupportedCurrency(PropcrmError, ValueError):
    """A valid currency that an operation does not support (e.g. 大写金额 outside CNY)."""


class InvalidRate(PropcrmError, ValueError):
    """A rate that is not a finite, non-negative decimal."""


class RateBasisMismatch(PropcrmError, TypeError):
    """Adding or ordering rates quoted per different time units."""


class InvalidAllocation(PropcrmError, ValueError):
    """Allocation ratios or part counts that cannot divide an amount."""


class InvalidMoneyText(PropcrmError, ValueError):
    """Text that does not parse as an amount in the given locale."""


class NaiveDatetime(PropcrmError, ValueError):
    """A datetime without a time zone where an aware one is required."""


class UnknownTimeZone(PropcrmError, ValueError):
    """A time zone name that is not in the IANA database."""


class InvalidPeriod(PropcrmError, ValueError):
    """A billing period that is malformed or not aligned to its kind."""


class InvalidQuantity(PropcrmError, ValueError):
    """An area, count, consumption or ratio that is out of its allowed range."""


class InvalidMeterReading(InvalidQuantity):
    """A meter reading below the previous one that is not marked as a meter replacement."""


class InvalidPolicy(PropcrmError, ValueError):
    """A policy value outside its allowed range."""


class OverlappingVersions(PropcrmError, ValueError):
    """Two versions of one tariff or price list effective the same day, or one name twice."""


class NotBillable(PropcrmError, ValueError):
    """A unit billed for a period in which its billable span has no day."""


class TariffError(PropcrmError, ValueError):
    """A tariff or tariff version that breaks a tariff rule."""


class TariffNoticeTooShort(TariffError):
    """A tariff version taking effect fewer than the minimum days after its announcement."""


class NoTariffInForce(TariffError, LookupError):
    """No version of a tariff is in force on the date asked for."""


class PriceListError(PropcrmError, ValueError):
    """A special-service price list or order that breaks a price-list rule."""


class NoPriceListInForce(PriceListError, LookupError):
    """No published price list is in force on the date asked for."""


class UnknownPriceItem(PriceListError, LookupError):
    """A service code that the price list in force does not contain."""
