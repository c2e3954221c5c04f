"""Tests for propcrm._i18n and the catalogs: one way to text for people, the locale explicit."""

from __future__ import annotations

import importlib.util
import os
import pickle
import threading
from pathlib import Path
from types import ModuleType

import pytest
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import write_po

from propcrm import _i18n, i18n
from propcrm._i18n import (
    DEFAULT_LOCALE,
    SUPPORTED_LOCALES,
    check_locale,
    gettext,
    ngettext,
    pgettext,
    translations,
)
from propcrm.errors import PropcrmError, UnsupportedLocale

ROOT = Path(__file__).resolve().parent.parent


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("i18n_script", ROOT / "scripts" / "i18n.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SCRIPT = _script()


# -- locales ------------------------------------------------------------------------------------


def test_the_supported_locales_are_simplified_chinese_and_us_english() -> None:
    assert SUPPORTED_LOCALES == ("zh_CN", "en_US")
    assert DEFAULT_LOCALE == "zh_CN"


def test_the_public_module_shows_only_what_users_need() -> None:
    assert i18n.__all__ == ["DEFAULT_LOCALE", "SUPPORTED_LOCALES", "LocaleLike", "check_locale"]
    assert dir(i18n) == sorted(i18n.__all__)
    assert i18n.check_locale is check_locale


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("zh_CN", "zh_CN"),
        ("zh-CN", "zh_CN"),
        ("zh_cn", "zh_CN"),
        ("ZH-cn", "zh_CN"),
        ("zh_Hans_CN", "zh_CN"),
        ("zh-Hans-CN", "zh_CN"),
        ("en_US", "en_US"),
        ("en-us", "en_US"),
        (Locale.parse("zh_CN"), "zh_CN"),
        (Locale.parse("en_US"), "en_US"),
        (Locale("zh", "CN", script="Hans"), "zh_CN"),
    ],
)
def test_a_supported_locale_is_accepted_however_it_is_spelled(given: object, expected: str) -> None:
    assert check_locale(given) == expected


@pytest.mark.parametrize(
    "given",
    [
        "fr_FR",
        "de_DE",
        "zh",
        "en",
        "zh_TW",
        "zh_HK",
        "zh_Hant_CN",
        "en_GB",
        "en_US_POSIX",
        "zz",
        "xx_YY",
        "",
        "zh_CN.UTF-8",
        None,
        5,
        b"zh_CN",
        Locale.parse("fr_FR"),
        Locale.parse("zh_TW"),
        Locale.parse("zh"),
    ],
)
def test_any_other_locale_is_refused_naming_the_supported_ones(given: object) -> None:
    with pytest.raises(UnsupportedLocale) as info:
        check_locale(given)
    error = info.value
    assert isinstance(error, PropcrmError)
    assert isinstance(error, ValueError)
    assert error.locale is given
    assert error.supported == ("zh_CN", "en_US")
    assert repr(given) in str(error)
    assert "'zh_CN' and 'en_US' only" in str(error)


@pytest.mark.parametrize(("given", "meant"), [("zh", "zh_CN"), ("en", "en_US"), ("zh_TW", "zh_CN")])
def test_a_bare_or_other_region_language_gets_a_suggestion(given: str, meant: str) -> None:
    with pytest.raises(UnsupportedLocale, match=f"Did you mean '{meant}'"):
        check_locale(given)


def test_the_refusal_keeps_its_attributes_through_pickling() -> None:
    with pytest.raises(UnsupportedLocale) as info:
        check_locale("fr_FR")
    copy = pickle.loads(pickle.dumps(info.value))
    assert (copy.locale, copy.supported, str(copy)) == ("fr_FR", SUPPORTED_LOCALES, str(info.value))


# -- messages -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "english", "chinese"),
    [(0, "0 days", "0天"), (1, "1 day", "1天"), (2, "2 days", "2天"), (21, "21 days", "21天")],
)
def test_plural_forms_come_from_each_locales_catalog(
    count: int, english: str, chinese: str
) -> None:
    assert ngettext("%(num)d day", "%(num)d days", count, locale="en_US") == english
    assert ngettext("%(num)d day", "%(num)d days", count, locale="zh_CN") == chinese


def test_the_catalogs_carry_clrds_plural_rules() -> None:
    zh, en = translations("zh_CN"), translations("en_US")
    assert [zh.plural(n) for n in (0, 1, 2)] == [0, 0, 0]
    assert [en.plural(n) for n in (0, 1, 2)] == [1, 0, 1]


def test_a_context_tells_two_meanings_of_one_word_apart() -> None:
    assert pgettext("period kind", "month", locale="zh_CN") == "月度"
    assert pgettext("period kind", "month", locale="en_US") == "month"


def test_values_are_formatted_into_the_translation() -> None:
    assert gettext("%(percent)s%% per day", locale="zh_CN", percent="0.3") == "每日0.3%"
    assert gettext("%(percent)s%% per day", locale="en_US", percent="0.3") == "0.3% per day"


def test_a_message_without_values_is_returned_as_it_is() -> None:
    assert gettext("%(percent)s%% per day", locale="en_US") == "%(percent)s%% per day"


def test_a_count_must_be_an_integer() -> None:
    with pytest.raises(TypeError):
        ngettext("%(num)d day", "%(num)d days", 1.5, locale="en_US")  # type: ignore[arg-type]


def test_every_helper_refuses_an_unsupported_locale() -> None:
    with pytest.raises(UnsupportedLocale):
        gettext("%(percent)s%% per day", locale="fr_FR")
    with pytest.raises(UnsupportedLocale):
        ngettext("%(num)d day", "%(num)d days", 2, locale="zh")
    with pytest.raises(UnsupportedLocale):
        pgettext("period kind", "month", locale="ja_JP")


def test_a_catalog_is_loaded_once_for_every_spelling() -> None:
    assert translations("zh-CN") is translations("zh_CN")
    assert translations(Locale.parse("en_US")) is translations("en_US")


def test_the_process_locale_and_gettext_install_change_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import builtins
    import gettext as stdlib_gettext

    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.setenv(name, "en_US.UTF-8")
    monkeypatch.setattr(builtins, "_", lambda s: "ambient", raising=False)
    stdlib_gettext.NullTranslations().install()
    assert pgettext("rounding mode", "half-up", locale="zh_CN") == "四舍五入"
    assert pgettext("rounding mode", "half-up", locale="en_US") == "half-up"


def test_threads_write_in_different_locales_at_once() -> None:
    expected = {"zh_CN": "四舍五入", "en_US": "half-up"}
    workers = 8
    barrier = threading.Barrier(workers)
    results: list[list[tuple[str, str]]] = [[] for _ in range(workers)]

    def work(index: int) -> None:
        locale = SUPPORTED_LOCALES[index % 2]
        barrier.wait()
        for _ in range(500):
            results[index].append((locale, pgettext("rounding mode", "half-up", locale=locale)))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(text == expected[locale] for rows in results for locale, text in rows)
    assert sum(len(rows) for rows in results) == workers * 500


def test_a_missing_compiled_catalog_says_how_to_make_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(_i18n.resources, "files", lambda _package: tmp_path)
    with pytest.raises(FileNotFoundError, match=r"scripts/i18n\.py compile"):
        _i18n._load.__wrapped__("zh_CN")


# -- the catalogs in the repository ---------------------------------------------------------------


def test_the_catalogs_are_in_step_with_the_code() -> None:
    problems = SCRIPT.problems()
    assert problems == [], "run `python scripts/i18n.py update` and translate:\n" + "\n".join(
        problems
    )


def test_the_compiled_catalogs_ship_inside_the_package() -> None:
    package = Path(_i18n.__file__).parent
    for locale in SUPPORTED_LOCALES:
        assert (package / "locale" / locale / "LC_MESSAGES" / "propcrm.mo").is_file()


# -- the check itself fails on each kind of staleness ---------------------------------------------

_CODE = """\
from propcrm._i18n import gettext, ngettext


def apple(locale):
    return gettext("apple", locale=locale)


def pears(n, locale):
    return ngettext("%(num)d pear", "%(num)d pears", n, locale=locale)
"""

_GOOD = {
    "zh_CN": {"apple": "苹果", "%(num)d pear": ("%(num)d个梨",)},
    "en_US": {"apple": "apple", "%(num)d pear": ("%(num)d pear", "%(num)d pears")},
}


def _write(locale_dir: Path, locale: str, strings: dict[str, object], *, mo: bool = True) -> None:
    catalog = Catalog(locale=locale, domain="propcrm")
    for msgid, string in strings.items():
        key = ("%(num)d pear", "%(num)d pears") if msgid == "%(num)d pear" else msgid
        catalog.add(key, string)
    folder = locale_dir / locale / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "propcrm.po").open("wb") as fp:
        write_po(fp, catalog)
    if mo:
        with (folder / "propcrm.mo").open("wb") as fp:
            write_mo(fp, catalog)


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, Path]:
    source, locale_dir = tmp_path / "src", tmp_path / "locale"
    source.mkdir()
    (source / "fruit.py").write_text(_CODE, encoding="utf-8")
    for locale, strings in _GOOD.items():
        _write(locale_dir, locale, strings)
    return source, locale_dir


def test_the_check_passes_on_catalogs_in_step(project: tuple[Path, Path]) -> None:
    assert SCRIPT.problems(*project) == []


def test_the_check_finds_a_message_in_the_code_but_not_in_a_catalog(
    project: tuple[Path, Path],
) -> None:
    source, locale_dir = project
    (source / "more.py").write_text(
        'from propcrm._i18n import gettext\nX = gettext("banana", locale="zh_CN")\n',
        encoding="utf-8",
    )
    found = SCRIPT.problems(source, locale_dir)
    assert len(found) == 2
    assert all("'banana' is in the code but not in the catalog" in p for p in found)


def test_the_check_finds_an_entry_the_code_no_longer_has(project: tuple[Path, Path]) -> None:
    source, locale_dir = project
    _write(locale_dir, "zh_CN", {**_GOOD["zh_CN"], "cherry": "樱桃"})
    po = locale_dir / "zh_CN" / "LC_MESSAGES" / "propcrm.po"
    assert SCRIPT.problems(source, locale_dir) == [
        f"{po}: 'cherry' is in the catalog but no longer in the code; run update"
    ]


def test_the_check_finds_an_entry_without_a_translation(project: tuple[Path, Path]) -> None:
    source, locale_dir = project
    _write(locale_dir, "zh_CN", {**_GOOD["zh_CN"], "apple": ""})
    assert SCRIPT.problems(source, locale_dir) == [
        f"{locale_dir}/zh_CN/LC_MESSAGES/propcrm.po: 'apple' has no translation"
    ]


def test_the_check_finds_a_plural_entry_missing_a_form(project: tuple[Path, Path]) -> None:
    source, locale_dir = project
    _write(locale_dir, "en_US", {**_GOOD["en_US"], "%(num)d pear": ("%(num)d pear", "")})
    assert SCRIPT.problems(source, locale_dir) == [
        f"{locale_dir}/en_US/LC_MESSAGES/propcrm.po: '%(num)d pear' has no translation"
    ]


def test_the_check_finds_a_fuzzy_entry(project: tuple[Path, Path]) -> None:
    source, locale_dir = project
    po = locale_dir / "zh_CN" / "LC_MESSAGES" / "propcrm.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace('msgid "apple"', '#, fuzzy\nmsgid "apple"'), encoding="utf-8")
    found = SCRIPT.problems(source, locale_dir)
    assert f"{po}: 'apple' is fuzzy; check its translation, then drop the flag" in found


def test_the_check_finds_a_translation_with_a_placeholder_the_code_never_fills(
    project: tuple[Path, Path],
) -> None:
    source, locale_dir = project
    _write(locale_dir, "zh_CN", {**_GOOD["zh_CN"], "%(num)d pear": ("%(count)d个梨",)})
    found = SCRIPT.problems(source, locale_dir)
    assert len(found) == 1
    assert "'%(num)d pear'" in found[0]
    assert "unknown named placeholder 'count'" in found[0]


def test_the_check_finds_a_compiled_catalog_older_than_its_source(
    project: tuple[Path, Path],
) -> None:
    source, locale_dir = project
    # The .po is edited after the .mo was compiled; timestamps are not what is compared.
    _write(locale_dir, "zh_CN", {**_GOOD["zh_CN"], "apple": "蘋果"}, mo=False)
    mo = locale_dir / "zh_CN" / "LC_MESSAGES" / "propcrm.mo"
    os.utime(mo, (mo.stat().st_atime + 3600, mo.stat().st_mtime + 3600))
    assert SCRIPT.problems(source, locale_dir) == [f"{mo} does not match propcrm.po; run compile"]


def test_the_check_finds_a_missing_compiled_catalog(project: tuple[Path, Path]) -> None:
    source, locale_dir = project
    mo = locale_dir / "en_US" / "LC_MESSAGES" / "propcrm.mo"
    mo.unlink()
    assert SCRIPT.problems(source, locale_dir) == [f"{mo} is missing; run compile"]


def test_the_check_finds_a_wrong_number_of_plural_forms(project: tuple[Path, Path]) -> None:
    source, locale_dir = project
    po = locale_dir / "zh_CN" / "LC_MESSAGES" / "propcrm.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(
        text.replace("nplurals=1; plural=0;", "nplurals=2; plural=(n != 1);"), encoding="utf-8"
    )
    found = SCRIPT.problems(source, locale_dir)
    assert found[0] == (
        f"{po}: 2 plural forms, but zh_CN has 1 (CLDR); fix its Plural-Forms header"
    )


def test_the_check_finds_a_missing_catalog(project: tuple[Path, Path]) -> None:
    source, locale_dir = project
    po = locale_dir / "en_US" / "LC_MESSAGES" / "propcrm.po"
    po.unlink()
    assert SCRIPT.problems(source, locale_dir) == [f"{po} is missing; run update"]


def test_percentages_are_exact_rounded_half_up_once_in_the_locale_s_pattern() -> None:
    """6.25 % is 6.3 % (half up, on the exact fraction); a float would have printed 6.2 %."""
    from fractions import Fraction

    from propcrm._i18n import percent_text

    assert [
        percent_text(Fraction(1, 16), places=1, locale="zh_CN"),
        percent_text(Fraction(2, 3), places=2, locale="en_US"),
        percent_text(Fraction(1, 3), places=0, locale="en_US"),
        percent_text(Fraction(5, 1000), places=0, locale="zh_CN"),
        percent_text(Fraction(1234567, 100), places=1, locale="en_US"),
        percent_text(None, places=1, locale="zh_CN"),
    ] == ["6.3%", "66.67%", "33%", "1%", "1,234,567.0%", "—"]
