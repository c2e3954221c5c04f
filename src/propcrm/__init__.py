"""propcrm: models and rules for the customer side of Chinese property management.

Packages, bottom layer first:

- :mod:`propcrm.money` and :mod:`propcrm.time`: exact money, rates, rounding, allocation,
  aware time, clocks, billing periods and working-day calendars.
- :mod:`propcrm.billing`: charges, tariffs, proration, billing cycles, late-fee terms, fee
  notices and billing runs.
- :mod:`propcrm.receivables`: accounts, receipts, allocation, late fees, disputes, deferrals,
  waivers, arrears, dunning and the fee-usage report (above billing).
- :mod:`propcrm.classification`: priorities and classification rules as data, with overrides.
- :mod:`propcrm.sla`: business calendars with China's holidays, business-time arithmetic,
  targets, the SLA clock, escalation, outages and reports.
- :mod:`propcrm.parties`: parties, units and dated relations, personal data (PIPL),
  segmentation and satisfaction.
- :mod:`propcrm.adapters`: where layers meet (parties and billing → segmentation subjects).
- :mod:`propcrm.demo`: the demo behind ``python -m propcrm demo``.
- :mod:`propcrm.errors`: the one exception hierarchy.
- :mod:`propcrm.testing`: hypothesis strategies for other projects' property tests.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("propcrm")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = ["__version__"]
