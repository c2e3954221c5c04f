"""Adapters: where the models of one layer meet, above them all.

``propcrm.parties`` and ``propcrm.billing`` never import each other (the layers point one way:
money and time ← billing, SLA, parties ← complaints ← adapters), so the values one model reads of
another are built here, from each model's public API.

- :mod:`propcrm.adapters.segment_subjects`: a party of the book, with its billing history, as
  segmentation sees it (:func:`segment_subject`, :func:`payment_facts`).
"""

from propcrm.adapters.segment_subjects import ORGANISATION_TYPES, payment_facts, segment_subject

__all__ = ["ORGANISATION_TYPES", "payment_facts", "segment_subject"]
