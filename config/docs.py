"""Which environment variables the product reads, found in its source, for docs/configuration.md.

`python -m config.docs` prints every variable read (where, and its default when the default is a
literal) and, with `--missing`, table rows for the ones docs/configuration.md does not document yet,
to paste under the right heading and finish by hand. tests/test_docs_configuration.py fails when the
page and the code disagree: a variable read but not documented, one documented but no longer read,
or a literal default that the page states differently.

The source is read, not imported: importing the settings would run them with this machine's
environment, and a variable read only on one branch of an `if` would go unseen.
"""

from __future__ import annotations

import ast
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "configuration.md"

# Not the product: its tests, benchmarks (docs/testing.md lists theirs), npm tools.
_SKIPPED_DIRS = {".venv", "tests", "bench", "tools", "node_modules", "var", ".git"}
# The helpers themselves read whatever name they are given; the test settings set test defaults.
_SKIPPED_FILES = {"config/env.py", "config/settings_test.py", "config/docs.py"}
# config/env.py's helpers and settings.py's local list readers: the first argument is the variable.
_HELPERS = {
    "env_str",
    "env_bool",
    "env_int",
    "env_float",
    "env_list",
    "env_words",
    "env_required",
    "_env_words",
    "_env_seconds_list",
    "organisation_databases_from_env",
}


@dataclass(frozen=True)
class Read:
    name: str
    path: str  # relative to the repository
    line: int
    default: object  # the literal default, or NO_LITERAL when there is none or it is computed


NO_LITERAL = object()


def _is_environ(node: ast.AST) -> bool:
    """`os.environ`, a parameter named `environ`, or `env` (bin/run.py's copy of the environment,
    whose `setdefault`s are the defaults its child processes see)."""
    if isinstance(node, ast.Attribute):
        return node.attr == "environ" and isinstance(node.value, ast.Name) and node.value.id == "os"
    return isinstance(node, ast.Name) and node.id in ("environ", "env")


def _literal(node: ast.AST | None) -> object:
    if node is None:
        return NO_LITERAL
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):  # 7 * 24 * 3600
        left, right = _literal(node.left), _literal(node.right)
        if isinstance(left, int) and isinstance(right, int):
            return left * right
        return NO_LITERAL
    try:
        return ast.literal_eval(node)
    except ValueError:
        return NO_LITERAL


def _reads_in(tree: ast.AST, path: str) -> list[Read]:
    reads = []
    for node in ast.walk(tree):
        name = default = None
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            default = node.args[1] if len(node.args) > 1 else None
            if isinstance(func, ast.Name) and func.id in _HELPERS:
                name = node.args[0].value
            elif isinstance(func, ast.Attribute) and func.attr == "getenv":
                name = node.args[0].value
            elif isinstance(func, ast.Attribute) and func.attr in ("get", "setdefault") and _is_environ(func.value):
                # os.environ.setdefault is a write (DJANGO_SETTINGS_MODULE for this process): not a read.
                if not (func.attr == "setdefault" and isinstance(func.value, ast.Attribute)):
                    name = node.args[0].value
        elif (
            isinstance(node, ast.Subscript)
            and isinstance(node.ctx, ast.Load)
            and _is_environ(node.value)
            and isinstance(node.slice, ast.Constant)
        ):
            name = node.slice.value
        if isinstance(name, str):
            reads.append(Read(name, path, node.lineno, _literal(default)))
    return sorted(reads, key=lambda read: read.line)


def _sources() -> list[Path]:
    files = []
    for directory, subdirectories, names in os.walk(ROOT):
        subdirectories[:] = sorted(d for d in subdirectories if d not in _SKIPPED_DIRS and not d.startswith("."))
        for name in sorted(names):
            path = Path(directory, name)
            if name.endswith(".py") and path.relative_to(ROOT).as_posix() not in _SKIPPED_FILES:
                files.append(path)
    # The settings first: their default is the one that counts when a launcher repeats a name.
    return sorted(files, key=lambda p: p.relative_to(ROOT).as_posix() != "config/settings.py")


def variables_read() -> dict[str, Read]:
    """Every variable the product reads, with its first read (config/settings.py before the rest)."""
    found: dict[str, Read] = {}
    for path in _sources():
        for read in _reads_in(ast.parse(path.read_text(), str(path)), path.relative_to(ROOT).as_posix()):
            found.setdefault(read.name, read)
    return found


_ROW = re.compile(r"^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|([^|]*)\|")


def variables_documented(text: str | None = None) -> dict[str, str]:
    """Variable -> its Default cell, from the table rows of docs/configuration.md."""
    text = PAGE.read_text() if text is None else text
    return {m.group(1): m.group(2).strip() for m in map(_ROW.match, text.splitlines()) if m}


def default_text(value: object) -> str | None:
    """How the page writes a literal default, or None when it cannot be checked."""
    if value is NO_LITERAL or value is None:
        return None
    if isinstance(value, bool):
        return "`true`" if value else "`false`"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, list):
        value = ",".join(value)
    return "empty" if value == "" else f"`{value}`"


def disagreements() -> list[str]:
    read, documented = variables_read(), variables_documented()
    problems = [
        f"{name} is read in {r.path}:{r.line} but not documented in docs/configuration.md"
        for name, r in read.items()
        if name not in documented
    ]
    problems += [
        f"{name} is documented in docs/configuration.md but nothing reads it" for name in documented if name not in read
    ]
    for name, r in read.items():
        expected = default_text(r.default)
        if name in documented and expected and expected not in documented[name]:
            problems.append(
                f"{name}: docs/configuration.md says the default is {documented[name]!r}; "
                f"{r.path}:{r.line} says {expected}"
            )
    return problems


def main(argv: list[str]) -> int:
    read, documented = variables_read(), variables_documented()
    missing = "--missing" in argv
    for name, r in sorted(read.items()):
        if missing and name in documented:
            continue
        default = default_text(r.default) or "?"
        if missing:
            print(f"| `{name}` | {default} | ({r.path}:{r.line}) |")
        else:
            print(f"{name:55} {default:30} {r.path}:{r.line}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
