"""Printing types in libflux's format.

Two layouts: the hover/params layout (fields in chain order, one line) and the
layout of libflux's error messages (fields in descending label order, records or
parameter lists of more than four entries spread over lines). Variables get
A, B, C… in order of appearance; a ``names`` dict shared between calls gives
several types one naming.
"""
from __future__ import annotations

from typing import Dict, List, Optional, Tuple, Union

from .typeterms import (
    Basic,
    Bound,
    Collection,
    Dict_,
    EmptyRecord,
    ErrorType,
    Function,
    Label,
    Record,
    Scheme,
    Type,
    Var,
    VarKey,
    children,
    prune,
)

Names = Dict[VarKey, str]

_COLLECTION_OPEN = {"array": "[", "stream": "stream[", "vector": "vector["}


def _letter(n: int) -> str:
    return chr(ord("A") + n) if n < 26 else f"t{n}"


def format_type(t: Type, names: Optional[Names] = None, reverse_records: bool = False) -> str:
    """libflux's text for ``t``; ``reverse_records`` selects the error-message layout."""
    return _text(t, {} if names is None else names, reverse_records)


def var_name(key: VarKey, names: Names) -> str:
    name = names.get(key)
    if name is None:
        name = _letter(len(names))
        names[key] = name
    return name


def name_for_message(t: Type, names: Names) -> None:
    """Name variables in the order libflux's error messages do: a record's tail before its
    fields, the fields in ascending label order."""
    t = prune(t)
    if type(t) is Var:
        var_name(t.id, names)
    elif type(t) is Bound:
        var_name(("b", t.index), names)
    elif type(t) is Collection:
        name_for_message(t.elem, names)
    elif type(t) is Dict_:
        name_for_message(t.key, names)
        name_for_message(t.val, names)
    elif type(t) is Record:
        links = []
        cur: Type = t
        while type(cur) is Record:
            links.append(cur)
            cur = prune(cur.tail)
        if type(cur) is not EmptyRecord:
            name_for_message(cur, names)
        for f in sorted(links, key=lambda f: f.label):
            name_for_message(f.type, names)
    elif type(t) is Function:
        if t.pipe is not None:
            name_for_message(t.pipe[1], names)
        for k in sorted(t.req):
            name_for_message(t.req[k], names)
        for k in sorted(t.opt):
            name_for_message(t.opt[k][0], names)
        name_for_message(t.ret, names)


def _indent(text: str) -> str:
    return text.replace("\n", "\n    ")


def _text(t: Type, names: Names, msg: bool) -> str:
    """One type's text; ``msg`` selects the layout of libflux's error messages."""
    t = prune(t)
    if type(t) is Basic:
        return t.name
    if type(t) is Var:
        return var_name(t.id, names)
    if type(t) is Bound:
        return var_name(("b", t.index), names)
    if type(t) is Collection:
        return _COLLECTION_OPEN[t.coll] + _text(t.elem, names, msg) + "]"
    if type(t) is Dict_:
        return "[" + _text(t.key, names, msg) + ": " + _text(t.val, names, msg) + "]"
    if type(t) is EmptyRecord:
        return "{}"
    if type(t) is Record:
        return _record_text(t, names, msg)
    if type(t) is Function:
        return _function_text(t, names, msg)
    if type(t) is Label:
        return f".{t.value}"
    if type(t) is ErrorType:
        return "<error>"
    return "?"  # pragma: no cover - every term class is handled above


def _record_text(t: Record, names: Names, msg: bool) -> str:
    links = []
    cur: Type = t
    while type(cur) is Record:
        links.append(cur)
        cur = prune(cur.tail)
    if msg:
        links.sort(key=lambda f: f.label)
        links.reverse()
    tail = None if type(cur) is EmptyRecord else _text(cur, names, msg)
    parts = [f"{f.label}: {_text(f.type, names, msg)}" for f in links]
    if msg and (len(parts) > 4 or any("\n" in p for p in parts)):
        lines = ["{"]
        if tail is not None:
            lines.append(f"    {tail} with")
        lines.extend(f"    {_indent(p)}," for p in parts)
        return "\n".join(lines) + "\n}"
    body = ", ".join(parts)
    return "{" + (f"{tail} with " if tail is not None else "") + body + "}"


def _function_text(t: Function, names: Names, msg: bool) -> str:
    parts = []
    if t.pipe is not None:
        head = "<-: " if t.pipe[0] == "<-" else f"<-{t.pipe[0]}: "
        parts.append(head + _text(t.pipe[1], names, msg))
    for k in sorted(t.req):
        parts.append(f"{k}: " + _text(t.req[k], names, msg))
    for k in sorted(t.opt):
        typ, default = t.opt[k]
        text = f"?{k}: " + _text(typ, names, msg)
        if default is not None:
            d = prune(default)
            if type(d) is Label:
                text += f" = .{d.value}"
        parts.append(text)
    if msg and (len(parts) > 4 or any("\n" in p for p in parts)):
        args = "(\n" + "".join(f"    {_indent(p)},\n" for p in parts) + ")"
    else:
        args = "(" + ", ".join(parts) + ")"
    return args + " => " + _text(t.ret, names, msg)


def format_with_constraints(types: List[Type], names: Optional[Names] = None) -> Tuple[List[str], str]:
    """Print several types with one naming; returns the texts and the ``where`` clause."""
    if names is None:
        names = {}
    texts = [format_type(t, names) for t in types]
    found: Dict[VarKey, Optional[List[str]]] = {}
    for t in types:
        _collect_kinds(t, found)
    cons = []
    for key, kinds in found.items():
        if kinds and key in names:
            cons.append((names[key], " + ".join(sorted(set(kinds)))))
    cons.sort(key=lambda c: (len(c[0]), c[0]))
    where = ", ".join(f"{n}: {k}" for n, k in cons)
    return texts, where


def _collect_kinds(t: Type, found: Dict[VarKey, Optional[List[str]]]) -> None:
    stack = [t]
    while stack:
        t = prune(stack.pop())
        if type(t) is Var:
            found[t.id] = t.kinds
        elif type(t) is Bound:
            found[("b", t.index)] = t.kinds
        else:
            stack.extend(children(t))


def format_scheme(s: Union[Scheme, Type]) -> str:
    """``(?x: A) => A where A: Addable`` for a Scheme or a plain type."""
    t = s.expr if isinstance(s, Scheme) else s
    texts, where = format_with_constraints([t])
    return texts[0] + (f" where {where}" if where else "")


_TYPE_INFO = {"array": " (array)", "vector": " (vector)", "stream": ""}


def type_info(t: Type) -> str:
    """The kind of term libflux's messages add after a type: `` (record)``, `` (array)``…"""
    t = prune(t)
    if type(t) is Function:
        return " (function)"
    if type(t) is Dict_:
        return " (dictionary)"
    if type(t) is Record or type(t) is EmptyRecord:
        return " (record)"
    if type(t) is Collection:
        return _TYPE_INFO[t.coll]
    if type(t) is Basic and t.name == "dynamic":
        return " (dynamic)"
    return ""
