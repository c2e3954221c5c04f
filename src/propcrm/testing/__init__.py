"""Hypothesis strategies for propcrm's types, and propcrm's laws, for property tests anywhere.

Import the strategies from :mod:`propcrm.testing.strategies`. With propcrm installed, hypothesis
also knows the types through its entry point, so ``st.from_type(Money)`` works without an import.
:mod:`propcrm.testing.laws` checks a project's own late-fee, allocation and deadline functions
against the laws propcrm's hold. Needs the ``testing`` extra (``pip install 'propcrm[testing]'``).
"""
