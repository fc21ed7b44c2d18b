"""Renders this repository's Helm chart with the subset of Go templates it uses, for the chart tests.

The machines that run the suite have no `helm` binary (no package registry we reach ships one), so
the tests render the chart here and validate the manifests against the Kubernetes schemas
(`kubernetes-validate`). The subset: `{{ }}` with `-` trimming; `if`/`else`/`end`; `define` and
`include`; values `.Values.*`, `.Release.*`, `.Chart.*`, `.`, quoted strings, numbers; functions
`quote`, `toYaml`, `nindent`, `indent`, `not`, `default`; pipelines with `|`. Anything else is an
error, so a template that needs more fails loudly here instead of rendering wrongly.
"""

import re
import shlex
from pathlib import Path

import yaml

_ACTION = re.compile(r"\{\{(-?)\s*(.*?)\s*(-?)\}\}", re.S)


class TemplateError(Exception):
    pass


def _tokens(text: str) -> list:
    """Text and actions, with `{{-`/`-}}` trimming applied."""
    out, pos, trim_next = [], 0, False
    for match in _ACTION.finditer(text):
        chunk = text[pos : match.start()]
        if trim_next:
            chunk = chunk.lstrip()
        if match.group(1):
            chunk = chunk.rstrip()
        out.append(("text", chunk))
        out.append(("action", match.group(2)))
        trim_next, pos = bool(match.group(3)), match.end()
    tail = text[pos:]
    out.append(("text", tail.lstrip() if trim_next else tail))
    return out


def _parse(tokens: list, index: int = 0, until=("end",)) -> tuple[list, int, str | None]:
    nodes = []
    while index < len(tokens):
        kind, value = tokens[index]
        index += 1
        if kind == "text":
            nodes.append(("text", value))
            continue
        if value.startswith("/*"):
            continue
        word = value.split(" ", 1)[0]
        if word in until:
            return nodes, index, value
        if word == "if":
            body, index, stop = _parse(tokens, index, ("else", "end"))
            other = []
            if stop == "else":
                other, index, stop = _parse(tokens, index, ("end",))
            nodes.append(("if", value[3:].strip(), body, other))
        elif word == "define":
            body, index, _ = _parse(tokens, index, ("end",))
            nodes.append(("define", shlex.split(value)[1], body))
        elif word in ("range", "with", "else", "end", "template", "tpl"):
            raise TemplateError(f"unsupported action: {value}")
        else:
            nodes.append(("expr", value))
    return nodes, index, None


class Renderer:
    def __init__(self, chart: Path, values: dict, release: str = "broker", namespace: str = "default"):
        self.chart = chart
        meta = yaml.safe_load((chart / "Chart.yaml").read_text())
        self.root = {
            "Values": values,
            "Release": {"Name": release, "Namespace": namespace, "Service": "Helm"},
            "Chart": {"Name": meta["name"], "Version": meta["version"], "AppVersion": meta["appVersion"]},
        }
        self.defines: dict[str, list] = {}
        for helper in sorted((chart / "templates").glob("_*.tpl")):
            self._run(_parse(_tokens(helper.read_text()))[0], self.root)

    def render(self, name: str) -> str:
        return self._run(_parse(_tokens((self.chart / "templates" / name).read_text()))[0], self.root)

    def _run(self, nodes: list, dot) -> str:
        out = []
        for node in nodes:
            if node[0] == "text":
                out.append(node[1])
            elif node[0] == "define":
                self.defines[node[1]] = node[2]
            elif node[0] == "if":
                out.append(self._run(node[2] if self._truthy(self._pipeline(node[1], dot)) else node[3], dot))
            else:
                value = self._pipeline(node[1], dot)
                out.append("" if value is None else _scalar(value))
        return "".join(out)

    @staticmethod
    def _truthy(value) -> bool:
        return bool(value)

    def _pipeline(self, expression: str, dot):
        value, first = None, True
        for command in (part.strip() for part in expression.split("|")):
            words = shlex.split(command)
            args = [self._value(word, dot) for word in words[1:]] + ([] if first else [value])
            value = self._call(words[0], args, dot) if not _is_value(words[0]) else self._value(words[0], dot)
            first = False
        return value

    def _value(self, word: str, dot):
        if word == ".":
            return dot
        if word.startswith("."):
            current = dot
            for part in word[1:].split("."):
                current = current.get(part) if isinstance(current, dict) else None
            return current
        if re.fullmatch(r"-?\d+", word):
            return int(word)
        return word  # shlex has already removed the quotes of a string literal

    def _call(self, name: str, args: list, dot):
        if name == "include":
            return self._run(self.defines[args[0]], args[1])
        if name == "quote":
            return '"' + _scalar(args[0]).replace('"', '\\"') + '"'
        if name == "toYaml":
            return yaml.safe_dump(args[0], default_flow_style=False, sort_keys=False).rstrip("\n")
        if name in ("nindent", "indent"):
            pad = " " * args[0]
            text = "\n".join(pad + line for line in str(args[1]).splitlines())
            return "\n" + text if name == "nindent" else text
        if name == "not":
            return not args[0]
        if name == "default":
            return args[1] if args[1] else args[0]
        raise TemplateError(f"unsupported function: {name}")


def _is_value(word: str) -> bool:
    return word.startswith(".") or re.fullmatch(r"-?\d+", word) is not None


def _scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def render_chart(chart: Path, overrides: dict | None = None) -> list[dict]:
    """Every manifest the chart renders with its values.yaml updated by `overrides` (deep)."""
    values = yaml.safe_load((chart / "values.yaml").read_text())
    _merge(values, overrides or {})
    renderer = Renderer(chart, values)
    documents = []
    for template in sorted((chart / "templates").glob("*.yaml")):
        text = renderer.render(template.name)
        try:
            documents += [doc for doc in yaml.safe_load_all(text) if doc]
        except yaml.YAMLError as exc:
            raise TemplateError(f"{template.name} renders invalid YAML: {exc}\n{text}") from exc
    return documents


def _merge(base: dict, overrides: dict) -> None:
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = value
