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
- :mod:`propcrm.personal_data`: PIPL identifiers that mask themselves, masking, consent.
- :mod:`propcrm.parties`: parties, units and dated relations (the party book), who pays,
  duplicates and merges, a person's export and erasure.
- :mod:`propcrm.archive` and :mod:`propcrm.visitors`: the owner archive (业主档案) and the gate
  register, above the party book.
- :mod:`propcrm.analytics`: behaviour scores and satisfaction surveys.
- :mod:`propcrm.segmentation`: segment rules, ready segments and the batch path.
- :mod:`propcrm.complaints` and :mod:`propcrm.care`: requests and complaints in their audited
  lifecycle; scheduled care.
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
