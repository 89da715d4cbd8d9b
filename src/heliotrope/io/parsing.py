"""Parse case-file text (YAML or JSON) safely: hostile input gets a coded error, never a
traceback, a hang or a memory blow-up (issue 12).

Refused, with the line and column where the parser knows them:

* duplicate keys in a mapping (YAML and JSON): which value was meant is unknowable;
* dates that are not calendar dates (``2019-02-30``, month 13, day 0, year 0);
* integers longer than :data:`~heliotrope.limits.MAX_INTEGER_DIGITS` digits;
* JSON's non-standard ``NaN``/``Infinity`` literals;
* nesting deeper than :data:`~heliotrope.limits.MAX_CASE_NESTING`, and data that expands to
  more than :data:`~heliotrope.limits.MAX_CASE_NODES` values once YAML aliases are followed
  ("billion laughs"), or refers to itself (a recursive alias).

The parse errors are :class:`~heliotrope.errors.RecordFileError` (HT100); the limits are
:class:`~heliotrope.errors.CaseFileLimitError` (HT107).
"""

from __future__ import annotations

import json
import re
from typing import Any, NoReturn

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from heliotrope.errors import CaseFileLimitError, RecordFileError
from heliotrope.limits import MAX_CASE_NESTING, MAX_CASE_NODES, MAX_INTEGER_DIGITS

__all__ = ["check_shape", "parse_json", "parse_yaml"]

_BASE: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MERGE = "tag:yaml.org,2002:merge"


def _at(node: Node) -> str:
    mark = node.start_mark
    return f"line {mark.line + 1}, column {mark.column + 1}"


class _Refusal(Exception):
    """Raised inside the YAML constructor; turned into a coded error by :func:`parse_yaml`."""

    def __init__(self, message: str, limit: bool = False) -> None:
        super().__init__(message)
        self.limit = limit


class _StrictLoader(_BASE):  # type: ignore[valid-type,misc]
    """The safe loader (C when available), refusing duplicate keys, impossible dates and
    absurdly long integers at their position."""

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, Node] = {}
        for key_node, _ in node.value:
            if key_node.tag == _MERGE:
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                first = seen.get(key)
            except TypeError:  # unhashable: the base constructor reports it
                continue
            if first is not None:
                raise _Refusal(
                    f"the key {str(key)[:80]!r} appears twice in one mapping ({_at(first)} and "
                    f"{_at(key_node)}); keep one"
                )
            seen[key] = key_node
        result: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return result

    def construct_yaml_int(self, node: Node) -> int:
        text = str(self.construct_scalar(node))
        digits = sum(ch.isdigit() for ch in text)
        if digits > MAX_INTEGER_DIGITS:
            raise _Refusal(
                f"an integer of {digits} digits at {_at(node)}; integers are limited to "
                f"{MAX_INTEGER_DIGITS} digits (heliotrope.limits.MAX_INTEGER_DIGITS)",
                limit=True,
            )
        value: int = super().construct_yaml_int(node)
        return value

    def construct_yaml_timestamp(self, node: Node) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError) as exc:
            text = str(self.construct_scalar(node))[:40]
            raise _Refusal(f"{text!r} at {_at(node)} is not a calendar date ({exc})") from None


_StrictLoader.add_constructor("tag:yaml.org,2002:int", _StrictLoader.construct_yaml_int)
_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _StrictLoader.construct_yaml_timestamp)
_StrictLoader.add_constructor("tag:yaml.org,2002:map", _StrictLoader.construct_yaml_map)


# -- the fast path (issue 13) ---------------------------------------------------------------
_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
#: Texts longer than this always take the full path: below it a tree without aliases cannot
#: hold ``MAX_CASE_NODES`` values (each value takes at least one character and a separator).
FAST_PATH_MAX_CHARS = MAX_CASE_NODES // 2
_FAST_MAX_DEPTH = MAX_CASE_NESTING // 2
#: Tags of short plain scalars already resolved (``null``, ``present``, ``2019-01-15`` ...):
#: the implicit resolvers are a pure function of the text.
_PLAIN_TAGS: dict[str, str] = {}
_PLAIN_TAGS_LIMIT = 4096


class _Unusual(Exception):
    """The fast path met something it leaves to the full strict path (an alias, a merge key,
    a tag other than the common ones, a duplicate key, any refusal)."""


class _FastLoader(_StrictLoader):
    """The same libyaml parser with the implicit resolver's answers remembered by text, and no
    path resolvers (PyYAML's ``descend``/``ascend`` hooks, unused by the safe loader)."""

    descend_resolver: Any = {}.get  # a built-in taking (parent, index) and doing nothing
    ascend_resolver = tuple  # a built-in taking no argument

    def resolve(self, kind: type[Node], value: Any, implicit: Any) -> str:
        if kind is ScalarNode:
            if not implicit[0]:
                return _STR
            tag = _PLAIN_TAGS.get(value)
            if tag is None:
                tag = Resolver.resolve(self, kind, value, implicit)  # type: ignore[no-untyped-call]
                if len(value) <= 32 and len(_PLAIN_TAGS) < _PLAIN_TAGS_LIMIT:
                    _PLAIN_TAGS[value] = tag
            return tag
        return _SEQ if kind is SequenceNode else _MAP

    def build(self, node: Node, depth: int, seen: set[int]) -> Any:
        """The value of ``node``, as the strict loader would make it, in one recursive pass;
        :class:`_Unusual` for anything but plain trees of the core tags."""
        cls = node.__class__
        tag = node.tag
        if cls is ScalarNode:
            if tag == _STR:
                return node.value
            if tag == _NULL:
                return None
            if tag == _BOOL:
                return self.bool_values[node.value.lower()]
            if tag == _INT:
                return self.construct_yaml_int(node)
            if tag == _TIMESTAMP:
                return self.construct_yaml_timestamp(node)
            if tag == _FLOAT:
                return self.construct_yaml_float(node)
            raise _Unusual
        if depth > _FAST_MAX_DEPTH or id(node) in seen:  # deep, or an alias: the full path
            raise _Unusual
        seen.add(id(node))
        if cls is MappingNode and tag == _MAP:
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.__class__ is not ScalarNode:
                    raise _Unusual
                # plain strings, the usual keys and values, inline
                key = key_node.value if key_node.tag == _STR else self.build(key_node, depth, seen)
                if key in out:
                    raise _Unusual
                if value_node.__class__ is ScalarNode and value_node.tag == _STR:
                    out[key] = value_node.value
                else:
                    out[key] = self.build(value_node, depth + 1, seen)
            return out
        if cls is SequenceNode and tag == _SEQ:
            return [self.build(item, depth + 1, seen) for item in node.value]
        raise _Unusual


def _fast_yaml(text: str) -> Any:
    """YAML text → data for the common case (a tree of strings, numbers, booleans, nulls and
    dates within the limits), or :class:`_Unusual` (issue 13: 2.5 → about 1 ms for the
    founding case). Equal to the strict loader's result wherever it answers (tested)."""
    loader = _FastLoader(text)
    try:
        node = loader.get_single_node()
        return None if node is None else loader.build(node, 0, set())
    except Exception as exc:  # anything unusual or wrong: the full path decides and words it
        raise _Unusual from exc
    finally:
        loader.dispose()


def parse_yaml(text: str, source: str) -> Any:
    """YAML text → data, or a coded error (module docstring).

    Plain trees take the fast path (:func:`_fast_yaml`); everything else, and every refusal,
    the full strict loader followed by :func:`check_shape`."""
    if len(text) <= FAST_PATH_MAX_CHARS:
        try:
            return _fast_yaml(text)
        except _Unusual:
            pass
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # a safe loader
    except _Refusal as exc:
        cls = CaseFileLimitError if exc.limit else RecordFileError
        raise cls(f"The file cannot be used: {exc}.", source=source) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise RecordFileError(
            f"The file is not valid YAML: {problem}{where}.", source=source
        ) from None
    except RecursionError:
        raise _too_deep(source, None) from None
    except (ValueError, IndexError, KeyError, AttributeError, TypeError) as exc:
        # An explicit tag on a value it cannot read (``!!int`` with no digits, ``!!bool
        # maybe``, ``!!timestamp x``, ``!!map [1]``): PyYAML's constructors fail untidily.
        raise RecordFileError(
            "The file is not valid YAML: a value cannot be read as its explicit tag says "
            f"({type(exc).__name__}: {str(exc)[:80]}).",
            source=source,
        ) from None
    check_shape(data, source)
    return data


_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def _json_depth_position(text: str) -> tuple[int, int] | None:
    """(line, column) where JSON nesting first exceeds the limit, by one linear scan."""
    depth = 0
    for match in _JSON_TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_CASE_NESTING:
                at = match.start()
                return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1
        elif token in "]}":
            depth -= 1
    return None


def _too_deep(source: str, where: tuple[int, int] | None) -> CaseFileLimitError:
    at = f" at line {where[0]}, column {where[1]}" if where else ""
    return CaseFileLimitError(
        f"The file is nested deeper than {MAX_CASE_NESTING} levels{at} "
        "(heliotrope.limits.MAX_CASE_NESTING); a case file needs fewer than 10.",
        source=source,
    )


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Refusal(f"the key {key[:80]!r} appears twice in one object; keep one")
        out[key] = value
    return out


def _constant(name: str) -> NoReturn:
    raise _Refusal(f"{name} is not a JSON number; write a finite number or null")


def _integer(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_INTEGER_DIGITS:
        raise _Refusal(
            f"an integer of {digits} digits; integers are limited to {MAX_INTEGER_DIGITS} digits "
            "(heliotrope.limits.MAX_INTEGER_DIGITS)",
            limit=True,
        )
    return int(text)


def _nested_deeper(value: Any, room: int) -> bool:
    """Does ``value`` hold containers nested more than ``room`` deep (a parsed JSON tree)?"""
    if value.__class__ is dict:
        children: Any = value.values()
    elif value.__class__ is list:
        children = value
    else:
        return False
    if room == 0:
        return True
    for child in children:
        if (child.__class__ is dict or child.__class__ is list) and _nested_deeper(child, room - 1):
            return True
    return False


def parse_json(text: str, source: str) -> Any:
    """JSON text → data, or a coded error (module docstring).

    The text is parsed first; the nesting is measured on the parsed tree, and the linear
    scan that locates the first level too deep runs only when the parse fails or the tree is
    too deep, so the outcome is the scan-first one at a fraction of the cost (issue 13)."""
    try:
        data = json.loads(
            text, object_pairs_hook=_pairs, parse_constant=_constant, parse_int=_integer
        )
    except (_Refusal, json.JSONDecodeError, RecursionError, ValueError) as exc:
        where = _json_depth_position(text)
        if where is not None:
            raise _too_deep(source, where) from None
        _json_refusal(exc, source)
    if _nested_deeper(data, MAX_CASE_NESTING):
        raise _too_deep(source, _json_depth_position(text))
    if len(text) > MAX_CASE_NODES:  # shorter texts cannot hold that many values
        check_shape(data, source)
    return data


def _json_refusal(exc: Exception, source: str) -> NoReturn:
    if isinstance(exc, _Refusal):
        cls = CaseFileLimitError if exc.limit else RecordFileError
        raise cls(f"The file cannot be used: {exc}.", source=source) from None
    if isinstance(exc, json.JSONDecodeError):
        raise RecordFileError(
            f"The file is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}.",
            source=source,
        ) from None
    if isinstance(exc, RecursionError):
        raise _too_deep(source, None) from None
    # e.g. a number Python refuses to convert
    raise RecordFileError(f"The file is not valid JSON: {exc}.", source=source) from None


def _path(parts: list[str]) -> str:
    shown = parts if len(parts) <= 8 else [*parts[:4], "…", *parts[-3:]]
    return "".join(shown).lstrip(".") or "(top level)"


def check_shape(data: Any, source: str) -> None:
    """Refuse data nested deeper than ``MAX_CASE_NESTING``, expanding (aliases followed) to
    more than ``MAX_CASE_NODES`` values, or containing itself. One iterative pass, each
    shared container counted once (its expanded size memoised)."""
    sizes: dict[int, int] = {}
    depths: dict[int, int] = {}
    open_ids: set[int] = set()
    # (container, path, child iterator); a container is closed when its iterator is done
    stack: list[tuple[Any, list[str], Any]] = []

    def children(value: Any) -> Any:
        if isinstance(value, dict):
            return ((f".{k}", v) for k, v in value.items())
        return ((f"[{i}]", v) for i, v in enumerate(value))

    def enter(value: Any, path: list[str]) -> None:
        if len(stack) >= MAX_CASE_NESTING:
            raise CaseFileLimitError(
                f"The file is nested deeper than {MAX_CASE_NESTING} levels at {_path(path)} "
                "(heliotrope.limits.MAX_CASE_NESTING); a case file needs fewer than 10.",
                source=source,
            )
        open_ids.add(id(value))
        sizes[id(value)] = 1
        depths[id(value)] = 1
        stack.append((value, path, children(value)))

    if not isinstance(data, dict | list):
        return
    enter(data, [])
    while stack:
        value, path, it = stack[-1]
        step = next(it, None)
        if step is None:
            stack.pop()
            open_ids.discard(id(value))
            if stack:
                parent = id(stack[-1][0])
                sizes[parent] += sizes[id(value)]
                depths[parent] = max(depths[parent], depths[id(value)] + 1)
                if sizes[parent] > MAX_CASE_NODES:
                    _too_many(source)
            continue
        key, child = step
        if not isinstance(child, dict | list):
            sizes[id(value)] += 1
            continue
        if id(child) in open_ids:
            raise RecordFileError(
                f"The file refers to itself at {_path([*path, key])} (a recursive YAML alias); "
                "a case file must be a tree.",
                source=source,
            )
        if id(child) in sizes:  # a shared (aliased) container: already measured
            sizes[id(value)] += sizes[id(child)]
            depths[id(value)] = max(depths[id(value)], depths[id(child)] + 1)
            if depths[id(value)] + len(stack) - 1 > MAX_CASE_NESTING:
                raise _too_deep(source, None)
            if sizes[id(value)] > MAX_CASE_NODES:
                _too_many(source)
            continue
        enter(child, [*path, key])


def _too_many(source: str) -> NoReturn:
    raise CaseFileLimitError(
        f"The file expands to more than {MAX_CASE_NODES:,} values once its YAML aliases are "
        "followed (heliotrope.limits.MAX_CASE_NODES): an alias bomb, not a case file.",
        source=source,
    )
