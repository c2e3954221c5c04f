"""propcrm: models and rules for the customer side of Chinese property management.

Packages, bottom layer first:

- :mod:`propcrm.money` and :mod:`propcrm.time`: exact money, rates, rounding, allocation,
  aware time, clocks, billing periods and working-day calendars.
- :mod:`propcrm.billing`: charges, tariffs, proration, billing cycles, fee notices, accounts,
  late fees, allocation, disputes, deferrals, waivers, arrears and dunning.
- :mod:`propcrm.sla`: priorities, classification, business calendars with China's holidays,
  business-time arithmetic, the SLA clock, escalation, outages and reports.
- :mod:`propcrm.personal_data`: PIPL identifiers that mask themselves, masking, consent.
- :mod:`propcrm.parties`: parties, units and dated relations (the party book), who pays,
  duplicates and merges, a person's export and erasure.
- :mod:`propcrm.archive` and :mod:`propcrm.visitors`: the owner archive (业主档案) and the gate
  register, above the party book.
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
