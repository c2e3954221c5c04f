"""Hypothesis strategies for propcrm's types, for property tests in any project.

Import them from :mod:`propcrm.testing.strategies`. With propcrm installed, hypothesis also knows
the types through its entry point, so ``st.from_type(Money)`` works without an import.
Needs the ``testing`` extra (``pip install 'propcrm[testing]'``).
"""
