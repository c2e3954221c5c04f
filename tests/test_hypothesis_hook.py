"""The hypothesis entry point registers propcrm's types lazily, and never breaks hypothesis."""

from __future__ import annotations

import importlib.machinery
import inspect
import json
import os
import subprocess
import sys
import textwrap

from hypothesis import find, settings
from hypothesis import strategies as st

from propcrm.money import Money
from propcrm.testing import _hypothesis_hook, _registry


def run_fresh(code: str) -> str:
    # A fresh interpreter: the hook acts at `import hypothesis`, which this process did long ago.
    environ = {k: v for k, v in os.environ.items() if k != "HYPOTHESIS_NO_PLUGINS"}
    result = subprocess.run(  # our own interpreter and code
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=False,
        env=environ,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


DRAW_MONEY = """
    from hypothesis import find, settings, strategies as st
    from propcrm.money import Money
    print(find(st.from_type(Money), lambda m: m > Money("9.99"), settings=settings(database=None)))
"""


def test_the_hook_lists_exactly_the_registry() -> None:
    # Kept as text so that reading it imports nothing; a module renamed or a type added to the
    # registry without the hook would otherwise go unregistered without a word.
    expected: dict[str, list[tuple[str, str]]] = {}
    for cls, strategy_name in _registry.default_strategies():
        expected.setdefault(cls.__module__, []).append((cls.__qualname__, strategy_name))
    listed = {module: list(types) for module, types in _hypothesis_hook.TYPES_BY_MODULE.items()}
    assert listed == expected


def test_importing_hypothesis_imports_no_propcrm_module_but_the_hook() -> None:
    out = run_fresh(
        """
        import json, sys
        import hypothesis
        print(json.dumps(sorted(name for name in sys.modules if name.startswith("propcrm"))))
        """
    )
    assert json.loads(out) == ["propcrm", "propcrm.testing", "propcrm.testing._hypothesis_hook"]


def test_a_type_imported_after_hypothesis_is_registered() -> None:
    out = run_fresh("import hypothesis\n" + textwrap.dedent(DRAW_MONEY))
    assert out == "CNY 10.00\n"


def test_a_type_imported_before_hypothesis_is_registered() -> None:
    before = """
        import sys
        import propcrm.money
        assert "hypothesis" not in sys.modules
    """
    out = run_fresh(textwrap.dedent(before) + textwrap.dedent(DRAW_MONEY))
    assert out == "CNY 10.00\n"


def test_every_registered_type_resolves_in_a_fresh_interpreter() -> None:
    # Imported after hypothesis, as a user's test module would, and never through
    # propcrm.testing.strategies until a value is drawn.
    out = run_fresh(
        """
        import sys
        import hypothesis
        from hypothesis.strategies._internal.types import _global_type_lookup
        import propcrm.billing, propcrm.complaints, propcrm.parties, propcrm.sla, propcrm.time
        from propcrm.testing import _registry
        registered = [cls for cls, _ in _registry.default_strategies()]
        print(sum(cls in _global_type_lookup for cls in registered), len(registered))
        print("propcrm.testing.strategies" in sys.modules)
        """
    )
    count, total, strategies_imported = out.split()
    assert count == total
    assert strategies_imported == "False"


def test_a_broken_registration_warns_and_hypothesis_still_imports() -> None:
    # One entry names a class that does not exist: that type warns, the others still register,
    # in either order of import.
    for first, second in [("hypothesis", "propcrm.money"), ("propcrm.money", "hypothesis")]:
        broken = f"""
            import warnings
            from propcrm.testing import _hypothesis_hook as hook
            hook.TYPES_BY_MODULE["propcrm.money._money"] = (("Nope", "moneys"), ("Money", "moneys"))
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                import {first}
                import {second}
            print(len(caught), caught[0].category.__name__, caught[0].message)
        """
        out = run_fresh(textwrap.dedent(broken) + textwrap.dedent(DRAW_MONEY))
        warning, drawn = out.splitlines()
        assert warning.startswith("1 RuntimeWarning propcrm could not register"), warning
        assert "propcrm.money._money.Nope" in warning
        assert "register_type_strategies()" in warning
        assert drawn == "CNY 10.00"


def test_a_failing_hook_warns_instead_of_breaking_import_hypothesis() -> None:
    out = run_fresh(
        """
        import json, warnings
        from propcrm.testing import _hypothesis_hook as hook

        class Broken:
            def __init__(self):
                raise RuntimeError("boom")

        hook._RegisterAfterImport = Broken
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            import hypothesis
        print(json.dumps([hypothesis.__name__, [str(w.message) for w in caught]]))
        """
    )
    name, messages = json.loads(out)
    assert name == "hypothesis"
    assert len(messages) == 1
    assert messages[0].startswith("propcrm could not register its hypothesis strategies: ")
    assert "RuntimeError('boom')" in messages[0]


def test_the_module_keeps_its_real_loader() -> None:
    # The wrapper that registers is gone once the import is done: doctest, inspect and
    # importlib.resources ask the loader for source and data.
    module = sys.modules[Money.__module__]
    assert isinstance(module.__loader__, importlib.machinery.SourceFileLoader)
    assert module.__spec__ is not None
    assert module.__spec__.loader is module.__loader__
    assert "class Money" in inspect.getsource(module)


def test_the_hook_is_installed_once() -> None:
    finders = [f for f in sys.meta_path if isinstance(f, _hypothesis_hook._RegisterAfterImport)]
    _hypothesis_hook._hypothesis_setup_hook()
    again = [f for f in sys.meta_path if isinstance(f, _hypothesis_hook._RegisterAfterImport)]
    assert finders == again
    assert len(again) == 1
    assert find(st.from_type(Money), lambda m: True, settings=settings(database=None)) == Money("0")
