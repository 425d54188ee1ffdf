#!/usr/bin/env python3
"""Build the parser's LALR(1) table from the grammar: the one place Lark is used.

    python scripts/build_parse_table.py            # rewrite src/fluxparams/syntax/parse_table.marshal
    python scripts/build_parse_table.py --check    # exit 1 when it is out of date

Input: grammar/flux.lark. Lark (a build and test dependency, not a run-time
one) builds its LALR(1) parser from it, with the package's tree builder as the
inline transformer; this script reads Lark's parse table, what its tree
builder does with each rule's children, and the lexer's terminals, and writes
them as plain data (see src/fluxparams/syntax/table.py for the format). At
run time fluxparams parses with its own lexer and driver over that file.

``--check`` compares data, not bytes (marshal's bytes differ between Python
versions for equal data). tests/test_syntax.py runs it.
"""
from __future__ import annotations

import argparse
import hashlib
import marshal
import re
import sys
from pathlib import Path
from typing import Any, Dict, List

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

GRAMMAR = REPO / "grammar" / "flux.lark"
OUT = REPO / "src" / "fluxparams" / "syntax" / "parse_table.marshal"
STARTS = ["file", "type_expression"]


def _keywords(terminals: Dict[str, Any]) -> List[str]:
    """The reserved words as the grammar spells them; they must be the package's KEYWORDS."""
    from fluxparams.syntax import KEYWORDS

    ident = terminals["IDENT"].pattern.to_regexp()
    m = re.match(r"\(\?!\(\?:([a-z|]+)\)", ident)
    if m is None:
        raise SystemExit("grammar: IDENT no longer starts with its keyword exclusion (?!(?:and|...)")
    excluded = set(m.group(1).split("|"))
    spelled = {name.lower() for name, term in terminals.items()
               if term.pattern.to_regexp() == f"{name.lower()}(?!\\w)" and term.priority == 0}
    if not (excluded == spelled == set(KEYWORDS)):
        raise SystemExit(f"grammar and fluxparams.syntax.KEYWORDS disagree: IDENT excludes "
                         f"{sorted(excluded)}, keyword terminals {sorted(spelled)}, "
                         f"KEYWORDS {sorted(KEYWORDS)}")
    return sorted(KEYWORDS)


def describe(grammar: str) -> Dict[str, Any]:
    """The table data for ``grammar`` (see fluxparams/syntax/table.py)."""
    import lark
    from lark.lexer import _regexp_has_newline
    from lark.parse_tree_builder import ChildFilterLALR, ChildFilterLALR_NoPlaceholders, ExpandSingleChild
    from lark.parsers.lalr_analysis import Shift
    from lark.tree import Tree

    from fluxparams.syntax import table
    from fluxparams.syntax.builder import Builder

    builder = Builder()
    parser = lark.Lark(grammar, parser="lalr", lexer="contextual", start=STARTS,
                       maybe_placeholders=True, transformer=builder)
    lalr = parser.parser.parser.parser
    parse_table = lalr.parse_table
    callbacks = lalr.callbacks
    index = {rule: i for i, rule in enumerate(parser.rules)}
    if any(rule not in index for rule in callbacks):
        raise SystemExit("a terminal callback: the driver does not support them")
    rules = []
    for rule in parser.rules:
        chain = callbacks[rule]
        include = None
        append_none = 0
        if isinstance(chain, ChildFilterLALR):
            include = tuple((int(i), bool(e), int(n)) for i, e, n in chain.to_include)
            append_none = int(chain.append_none)
            chain = chain.node_builder
        elif isinstance(chain, ChildFilterLALR_NoPlaceholders):
            include = tuple((int(i), bool(e), 0) for i, e in chain.to_include)
            chain = chain.node_builder
        expand1 = isinstance(chain, ExpandSingleChild)
        if expand1:
            chain = chain.node_builder
        if getattr(chain, "func", None) is Tree and len(chain.args) == 1:
            callback, tree_name = None, str(chain.args[0])
        elif getattr(chain, "__self__", None) is builder:
            callback, tree_name = str(chain.__name__), None
        else:
            raise SystemExit(f"rule {rule}: a tree builder step this script does not know ({chain!r})")
        rules.append((str(rule.origin.name), len(rule.expansion), include, append_none, expand1,
                      callback, tree_name))
    # Lark numbers states in an order that depends on string hashing: number
    # them canonically (breadth first from the start states, symbols sorted)
    # so that the same grammar always gives the same file.
    raw = parse_table.states
    numbering: Dict[Any, int] = {}
    queue = [parse_table.start_states[name] for name in STARTS]
    for state in queue:
        numbering.setdefault(state, len(numbering))
    position = 0
    while position < len(queue):
        state = queue[position]
        position += 1
        for _name, (action, arg) in sorted(raw[state].items()):
            if action is Shift and arg not in numbering:
                numbering[arg] = len(numbering)
                queue.append(arg)
    if len(numbering) != len(raw):
        raise SystemExit(f"{len(raw) - len(numbering)} parser states unreachable from the start states")
    states: List[Dict[str, int]] = [{} for _ in numbering]
    for state, number in numbering.items():
        states[number] = {str(name): numbering[arg] if action is Shift else -1 - index[arg]
                          for name, (action, arg) in sorted(raw[state].items())}
    terminals = {term.name: term for term in parser.terminals}
    # the scanning order of Lark's lexers: priority, longest possible match, longest literal, name
    order = sorted(parser.terminals, key=lambda x: (
        -x.priority, -x.pattern.max_width, -len(x.pattern.value), x.name))
    patterns = {term.name: term.pattern.to_regexp() for term in parser.terminals}
    ignore = sorted(parser.ignore_tokens)
    return {
        "format": table.FORMAT,
        "grammar_sha256": hashlib.sha256(grammar.encode("utf-8")).hexdigest(),
        "keywords": _keywords(terminals),
        "states": tuple(states),
        "start": {str(k): numbering[v] for k, v in parse_table.start_states.items()},
        "end": {str(k): numbering[v] for k, v in parse_table.end_states.items()},
        "rules": tuple(rules),
        "terminals": {
            "order": [term.name for term in order],
            "patterns": patterns,
            "ignore": ignore,
            "newline": sorted(n for n, p in patterns.items() if _regexp_has_newline(p)),
            "relex": [term.name for term in parser.terminals if term.name not in ("TEXT", "WS", "COMMENT")],
            "flags": int(parser.lexer_conf.g_regex_flags),
        },
    }


def main(argv: List[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--check", action="store_true", help="only report whether the table is stale")
    args = p.parse_args(argv)
    data = describe(GRAMMAR.read_text(encoding="utf-8"))
    if args.check:
        try:
            current = marshal.loads(OUT.read_bytes())
        except (OSError, EOFError, ValueError, TypeError) as exc:
            print(f"{OUT.relative_to(REPO)}: unreadable ({exc}); run scripts/build_parse_table.py")
            return 1
        if current != data:
            changed = sorted(k for k in set(data) | set(current) if data.get(k) != current.get(k))
            print(f"{OUT.relative_to(REPO)} is stale ({', '.join(changed)} differ); "
                  "run scripts/build_parse_table.py")
            return 1
        print(f"{OUT.relative_to(REPO)} is current ({len(data['states'])} states, "
              f"{len(data['rules'])} rules)")
        return 0
    tmp = OUT.with_suffix(".tmp")
    tmp.write_bytes(marshal.dumps(data))
    tmp.replace(OUT)
    print(f"wrote {OUT.relative_to(REPO)} ({len(data['states'])} states, {len(data['rules'])} rules, "
          f"{OUT.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
