"""Mutation testing of the modules that decide money and deadlines (issue 18).

    python scripts/mutation.py                 # every target, then the score table
    python scripts/mutation.py money late_fees # some targets
    python scripts/mutation.py --list          # the targets, their modules and tests
    python scripts/mutation.py --report        # the table again from the last run, no new run

Each target is a few source modules and the tests that are theirs. For each, the script copies
the source, the tests and ``pyproject.toml`` to ``.mutation/<target>/`` (so mutmut's
``mutants/`` tree and cache never touch the work tree), adds a ``[tool.mutmut]`` block naming
the modules and tests, runs ``mutmut run`` there, and reads each mutant's result from mutmut's
``.meta`` files. A second run re-tests only what changed.

Mutants are sorted into:

- *message* mutants: every line they change is inside the call of an exception being raised,
  after its first line (its text, or the ``field``, ``value`` and ``allowed`` it carries), so
  they change what an error says, never whether it is raised nor any result. They are counted
  apart, not in the score; the bad-input suites check that errors carry their context;
- *equivalent* mutants: listed in ``tests/mutation/equivalent.toml``, each by its function and
  the line it changes, with why no test can tell it apart (``False`` → ``None`` used only for
  truth, a bound both sides of which give the same result, …). An entry that matches no
  surviving mutant of a module that was run is reported as stale, so the list cannot silently
  go out of date;
- *logic* mutants: everything else. The score of a module is the share of its logic mutants
  killed (including those mutmut's timeout catches). The goal is at least 97 % in every module;
  the script exits 1 if a module is below it, or if a listed equivalent is stale.

It needs the ``mutation`` dependency group: ``pip install --group mutation``.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import hashlib
import json
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".mutation"
EQUIVALENT_FILE = ROOT / "tests" / "mutation" / "equivalent.toml"
GOAL = 97.0
_PYTEST_ARGS = ["-p", "no:cacheprovider", "-q", "-W", "ignore", "-p", "no:xdist"]
# mutmut exit codes for a mutant no test noticed: survived, not run, no tests covered it.
_SURVIVED = (0, None, 5, 33)


@dataclass(frozen=True)
class Target:
    """Source modules mutated together, and the test modules that are theirs."""

    modules: tuple[str, ...]
    tests: tuple[str, ...]


def _m(*names: str) -> tuple[str, ...]:
    return tuple(f"src/propcrm/{name}.py" for name in names)


def _t(*names: str) -> tuple[str, ...]:
    return tuple(f"tests/test_{name}.py" for name in names)


#: What is mutated, and the tests that are each module's own (issue 18: money, billing's
#: arithmetic, and the SLA arithmetic).
TARGETS: dict[str, Target] = {
    "money": Target(
        _m("money/_money", "money/_rounding", "money/_currency", "money/_rates"),
        _t(
            "money", "rounding", "currency", "rates", "amounts", "bad_input_money", "money_refusals"
        ),
    ),
    "uppercase": Target(
        _m("money/_uppercase", "money/_formatting"),
        _t("uppercase", "formatting", "amounts", "money_text_refusals"),
    ),
    "money_allocation": Target(_m("money/_allocation"), _t("allocation", "money")),
    "proration": Target(_m("billing/_proration"), _t("proration", "charges", "billing_runs")),
    "metering": Target(_m("billing/_metering"), _t("metering", "charges")),
    "billing_allocation": Target(
        _m("receivables/_allocation"), _t("billing_allocation", "accounts", "receipts")
    ),
    "late_fees": Target(
        _m("receivables/_late_fees", "billing/_late_fee_terms"),
        _t("late_fees", "scenarios_late_fees", "accounts"),
    ),
    "arrears": Target(_m("receivables/_arrears"), _t("arrears", "dunning")),
    "business_time": Target(
        _m("sla/_business_time", "sla/_working_hours"),
        _t("business_time", "working_hours", "scenarios_sla", "sla_calendars"),
    ),
    "calendars": Target(
        _m("sla/_calendars", "sla/_holidays"),
        _t("sla_calendars", "sla_holidays", "calendars", "business_time", "calendar_explanations"),
    ),
    "targets": Target(_m("sla/_targets"), _t("targets", "sla_clock", "escalation")),
    "clock": Target(
        _m("sla/_clock", "sla/_events", "sla/_request_clocks"),
        _t("sla_clock", "clock", "complaint_clocks"),
    ),
}


def _prepare(name: str, target: Target) -> Path:
    where = WORK / name
    where.mkdir(parents=True, exist_ok=True)
    for folder in ("src", "tests"):
        # Fresh copies each run; mutmut's own cache lives in mutants/ and survives.
        shutil.rmtree(where / folder, ignore_errors=True)
        shutil.copytree(ROOT / folder, where / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(ROOT / "conftest.py", where / "conftest.py")
    tests = [t for t in target.tests if (ROOT / t).exists()]
    block = "\n".join(
        [
            "",
            "[tool.mutmut]",
            'source_paths = ["src/propcrm"]',
            f"only_mutate = {json.dumps(list(target.modules))}",
            'also_copy = ["conftest.py"]',
            # One process: mutmut collects which tests reach which function in its own.
            f"pytest_add_cli_args = {json.dumps(_PYTEST_ARGS)}",
            f"pytest_add_cli_args_test_selection = {json.dumps(tests)}",
            "",
        ]
    )
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    (where / "pyproject.toml").write_text(text + block, encoding="utf-8")
    return where


def _survivors(where: Path) -> list[str]:
    names = []
    for meta in (where / "mutants").rglob("*.py.meta"):
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        names += [mutant for mutant, code in codes.items() if code in _SURVIVED]
    return sorted(names)


def _tests_fingerprint(target: Target) -> str:
    digest = hashlib.sha256()
    for test in sorted(target.tests):
        path = ROOT / test
        if path.exists():
            digest.update(test.encode() + path.read_bytes())
    return digest.hexdigest()


def _mutmut(where: Path, log: Path, *args: str) -> None:
    with log.open("a", encoding="utf-8") as out:
        done = subprocess.run(
            [sys.executable, "-m", "mutmut", "run", *args],
            cwd=where,
            stdout=out,
            stderr=subprocess.STDOUT,
            check=False,
        )
    if done.returncode != 0:
        sys.exit(f"mutmut failed in {where} (exit {done.returncode}); see {log}")


def _run(name: str, target: Target, children: int) -> None:
    where = _prepare(name, target)
    print(f"== {name}: mutating {', '.join(target.modules)}", flush=True)
    log = where / "mutmut.log"
    log.write_text("", encoding="utf-8")
    # mutmut re-tests a mutant when its function changes, not when the tests do: mutants that
    # survived earlier tests are run again by name when the target's tests have changed.
    stamp = where / "tests.sha256"
    fingerprint = _tests_fingerprint(target)
    earlier = _survivors(where) if (where / "mutants").exists() else []
    if earlier and (not stamp.exists() or stamp.read_text(encoding="utf-8") != fingerprint):
        _mutmut(where, log, "--max-children", str(children), *earlier)
    _mutmut(where, log, "--max-children", str(children))
    stamp.write_text(fingerprint, encoding="utf-8")


@dataclass
class Counts:
    """One module's mutants by kind, and the logic mutants that survived."""

    logic: int = 0
    killed: int = 0
    message: int = 0
    equivalent: int = 0
    survivors: tuple[tuple[str, str], ...] = ()


def _function_sources(mutated: Path) -> dict[str, str]:
    """Each function in mutmut's copy of a module (originals and mutants) by name, as source."""
    text = mutated.read_text(encoding="utf-8")
    lines = text.splitlines()
    # Sliced by line numbers: ast.get_source_segment re-splits the whole file for every function,
    # which is quadratic on mutmut's copies (megabytes for a large module).
    return {
        node.name: "\n".join(lines[node.lineno - 1 : node.end_lineno])
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }


def _diff(functions: dict[str, str], mutant: str) -> str:
    """The unified diff a mutant makes to its function (what ``mutmut show`` prints)."""
    name = mutant.rsplit(".", 1)[1]
    original = name[: name.rindex("__mutmut_")] + "__mutmut_orig"
    lines = difflib.unified_diff(
        functions[original].splitlines(),
        functions[name].replace(name, original, 1).splitlines(),
        lineterm="",
        n=0,
    )
    return "\n".join(lines)


def _changed_lines(diff: str) -> tuple[list[str], list[str]]:
    removed = [line[1:] for line in diff.splitlines() if line.startswith("-") and line[1:2] != "-"]
    added = [line[1:] for line in diff.splitlines() if line.startswith("+") and line[1:2] != "+"]
    return removed, added


def _raise_spans(source: str) -> list[tuple[int, int]]:
    """0-based (first, last) line numbers of each ``raise`` statement's exception in ``source``."""
    # A method's source is indented: parse it inside an ``if`` rather than dedented, because a
    # docstring line continued at column 0 (a doctest's backslash) leaves textwrap.dedent
    # nothing to remove. The wrapper line shifts every line number by one.
    indented = source[:1].isspace()
    tree = ast.parse("if 1:\n" + source if indented else source)
    shift = 2 if indented else 1
    return [
        (node.exc.lineno - shift, (node.exc.end_lineno or node.exc.lineno) - shift)
        for node in ast.walk(tree)
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)
    ]


def _is_message_mutant(functions: dict[str, str], mutant: str) -> bool:
    """Whether every line the mutant changes is inside the call of an exception being raised.

    Such a mutant changes what an error says or carries (its text, its ``field``, ``value`` or
    ``allowed``), never whether it is raised nor any result: the condition that raises it sits
    on other lines.
    """
    name = mutant.rsplit(".", 1)[1]
    original = functions[name[: name.rindex("__mutmut_")] + "__mutmut_orig"]
    before = original.splitlines()
    after = functions[name].replace(name, name[: name.rindex("__mutmut_")] + "__mutmut_orig", 1)
    spans = _raise_spans(original)
    changed = [
        (i1, i2)
        for tag, i1, i2, _j1, _j2 in difflib.SequenceMatcher(
            a=before, b=after.splitlines(), autojunk=False
        ).get_opcodes()
        if tag != "equal"
    ]

    def inside(first: int, last: int) -> bool:
        # mutmut mutates expressions, never a whole statement: a change on a raise's lines
        # changes its exception's arguments, not whether it is raised.
        return any(start <= first and last <= end for start, end in spans)

    return bool(changed) and all(inside(i1, max(i1, i2 - 1)) for i1, i2 in changed)


def _load_equivalents() -> list[dict[str, str]]:
    if not EQUIVALENT_FILE.exists():
        return []
    return list(tomllib.loads(EQUIVALENT_FILE.read_text(encoding="utf-8")).get("equivalent", []))


def _equivalent(mutant: str, diff: str, equivalents: list[dict[str, str]]) -> dict[str, str] | None:
    # Matched by function and change, not by mutmut's number, which shifts when the function
    # gains or loses other mutable code.
    function = mutant[: mutant.rindex("__mutmut_")]
    _, added = _changed_lines(diff)
    for entry in equivalents:
        if entry["function"] == function and entry["change"] in (line.strip() for line in added):
            return entry
    return None


def _count(name: str, equivalents: list[dict[str, str]], used: set[int]) -> dict[str, Counts]:
    where = WORK / name
    results: dict[str, Counts] = {}
    for meta in sorted((where / "mutants").rglob("*.py.meta")):
        module = str(meta.relative_to(where / "mutants"))[: -len(".meta")]
        functions = _function_sources(where / "mutants" / module)
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        counts = results.setdefault(module, Counts())
        survivors: list[tuple[str, str]] = []
        for mutant, code in sorted(codes.items()):
            survived = code in _SURVIVED
            diff = _diff(functions, mutant)
            entry = _equivalent(mutant, diff, equivalents) if survived else None
            if entry is not None:
                used.add(id(entry))
                counts.equivalent += 1
                continue
            if _is_message_mutant(functions, mutant):
                counts.message += 1
                continue
            counts.logic += 1
            if survived:
                survivors.append((mutant, diff))
            else:
                counts.killed += 1
        counts.survivors = tuple(survivors)
    return results


def _module_of(function: str) -> str:
    return "src/" + function.rsplit(".", 1)[0].replace(".", "/") + ".py"


def _report(names: list[str], *, diffs: bool = False) -> int:
    equivalents = _load_equivalents()
    used: set[int] = set()
    ran: set[str] = set()
    failing = 0
    print(f"{'module':48} {'logic':>6} {'killed':>7} {'score':>7} {'equiv':>6} {'message':>8}")
    for name in names:
        if not (WORK / name / "mutants").exists():
            print(f"{name}: not run yet")
            continue
        for module, c in _count(name, equivalents, used).items():
            ran.add(module)
            score = 100.0 * c.killed / c.logic if c.logic else 100.0
            failing += score < GOAL
            print(
                f"{module:48} {c.logic:6d} {c.killed:7d} {score:6.1f}% {c.equivalent:6d} "
                f"{c.message:8d}"
            )
            for mutant, diff in c.survivors:
                print(f"    survived: {mutant}  (mutmut show it in .mutation/{name})")
                if diffs:
                    removed, added = _changed_lines(diff)
                    print("".join(f"      - {line.strip()}\n" for line in removed), end="")
                    print("".join(f"      + {line.strip()}\n" for line in added), end="")
    # An entry for a module that was run but matched no surviving mutant is out of date.
    stale = [e for e in equivalents if id(e) not in used and _module_of(e["function"]) in ran]
    for entry in stale:
        print(f"stale equivalent: {entry['function']}: {entry['change']!r} survives no more")
    return 1 if failing or stale else 0


def main() -> int:
    """Run the targets asked for (all by default) and print the score table."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("targets", nargs="*", help="targets to run (default: all)")
    parser.add_argument("--max-children", type=int, default=2, help="parallel mutant workers")
    parser.add_argument("--list", action="store_true", help="list the targets and stop")
    parser.add_argument("--report", action="store_true", help="report the last run, run nothing")
    parser.add_argument("--diffs", action="store_true", help="print each survivor's change")
    args = parser.parse_args()
    unknown = [t for t in args.targets if t not in TARGETS]
    if unknown:
        parser.error(f"unknown target(s) {', '.join(unknown)}; choose from {', '.join(TARGETS)}")
    names = args.targets or list(TARGETS)
    if args.list:
        for name in names:
            target = TARGETS[name]
            print(f"{name}: {' '.join(target.modules)}\n    tests: {' '.join(target.tests)}")
        return 0
    if not args.report:
        for name in names:
            _run(name, TARGETS[name], args.max_children)
    return _report(names, diffs=args.diffs)


if __name__ == "__main__":
    sys.exit(main())
