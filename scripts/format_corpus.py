#!/usr/bin/env python3
"""The differential corpus of the formatter: generated and mutated Flux scripts, deterministic.

``generate()`` returns {id: script}, the same on every run and every Python (a seeded
``random.Random`` per family; no hash-order dependence). Families:

* ``gen``: expressions and statements built from a small grammar of the language (every
  expression kind, literals of every kind, random parentheses, long calls and records that
  cross 100 columns, pipes, functions with block bodies, if/then/else, options, builtins,
  testcases, imports, attributes), each laid out on one line or spread over many;
* ``ws``: top-level statements of the stdlib (../shared/flux/stdlib-v0.193.0, read from the
  sorted file list) re-spaced at token boundaries: white space removed, doubled, newlines and
  indentation added, comments inserted before tokens;
* ``cmt``: small generated scripts with comments inserted before random tokens;
* ``stdlib``: whole stdlib files as they are (their answers are committed only as "unchanged"
  or the formatted text).

``same_meaning(a, b)`` tells whether two scripts parse (with fluxparams.parse) to the same
program: parentheses, positions and comments aside, date-times compared as instants.

scripts/oracle_format_expect.py ``corpus`` writes the oracle's answers for these scripts;
tests/test_format_differential.py checks fluxparams.format against them.
"""
from __future__ import annotations

import random
import re
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

REPO = Path(__file__).resolve().parents[1]
STDLIB = REPO.parent / "shared" / "flux" / "stdlib-v0.193.0"
sys.path.insert(0, str(REPO / "src"))

from fluxparams import FluxSyntaxError, parse  # noqa: E402
from fluxparams import tree as t  # noqa: E402

# --------------------------------------------------------------------------------------------
# meaning

_DATETIME = re.compile(r"(\d{4})-(\d\d)-(\d\d)(?:T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d))?$")


def _instant(text: str) -> Tuple[Any, ...]:
    """A date-time literal as the instant it names (libflux reprints it in RFC 3339)."""
    m = _DATETIME.match(text)
    if m is None:
        return (text,)
    y, mo, d, h, mi, s, frac, zone = m.groups()
    fraction = Decimal("0." + frac) if frac else Decimal(0)
    utc = zone in (None, "+00:00", "-00:00")
    return (y, mo, d, h or "00", mi or "00", s or "00", fraction, "Z" if utc else zone)


def shape(node: Any) -> Any:
    """A node as plain nested tuples, without parentheses, positions or comments."""
    if isinstance(node, tuple):
        return tuple(shape(x) for x in node)
    if not isinstance(node, t.Node):
        return node
    while isinstance(node, t.ParenExpression):
        node = node.expression
    if isinstance(node, t.DateTimeLiteral):
        return ("DateTimeLiteral", _instant(node.value))
    return (type(node).__name__,) + tuple(shape(getattr(node, f)) for f in node._fields[:-1])


def meaning(source: str) -> Optional[Any]:
    """The program a script is, or None when it does not parse."""
    try:
        return shape(parse(source))
    except FluxSyntaxError:
        return None
    except RecursionError:
        return None


_REGEX_AFTER = set("=(,[:{!~|>+-*%^<")
_REGEX_AFTER_WORDS = ("then", "else", "return", "and", "or", "not")


def comments(source: str) -> List[str]:
    """The comments of a script, in order, trailing white space trimmed.

    A small scanner of its own (not the project's): strings with their interpolations, and
    regexes where one can start (after an operator, an opening bracket or a keyword), are
    skipped."""
    found: List[str] = []
    braces: List[int] = []  # per open interpolation: the depth of "{" inside it
    i, n = 0, len(source)
    last = ""  # the code text seen since the last string or comment, for the regex heuristic
    in_string = False
    while i < n:
        ch = source[i]
        if in_string:
            if ch == "\\":
                i += 2
                continue
            if ch == '"':
                in_string = False
                last = "x"
            elif source.startswith("${", i):
                braces.append(0)
                in_string = False
                last = "("
                i += 2
                continue
            i += 1
            continue
        if source.startswith("//", i):
            stop = source.find("\n", i)
            stop = n if stop < 0 else stop
            found.append(source[i:stop].rstrip())
            i = stop
            continue
        if ch == '"':
            in_string = True
        elif ch == "{" and braces:
            braces[-1] += 1
        elif ch == "}" and braces:
            if braces[-1] == 0:
                braces.pop()
                in_string = True
            else:
                braces[-1] -= 1
        elif ch == "/":
            before = last.rstrip()
            if not before or before[-1] in _REGEX_AFTER or before.endswith(_REGEX_AFTER_WORDS):
                j = i + 1
                while j < n and source[j] not in "/\n":
                    j += 2 if source[j] == "\\" else 1
                if j < n and source[j] == "/":
                    i = j + 1
                    last = "x"
                    continue
        if not ch.isspace() or last:
            last = (last + ch)[-8:]
        i += 1
    return found


def same_meaning(a: str, b: str) -> bool:
    ma = meaning(a)
    return ma is not None and ma == meaning(b)


# --------------------------------------------------------------------------------------------
# generated scripts


class Gen:
    """Random Flux text from a small grammar; ``depth`` bounds the nesting."""

    NAMES = ["a", "b", "r", "x", "tables", "data", "v", "_value", "name", "longerIdentifierName"]
    FUNCS = ["f", "from", "range", "filter", "map", "yield", "strings.toUpper", "math.abs", "g"]
    BIN = ["+", "-", "*", "/", "%", "^", "==", "!=", "<", "<=", ">", ">=", "=~", "!~"]

    def __init__(self, rnd: random.Random) -> None:
        self.rnd = rnd

    def pick(self, items: List[str]) -> str:
        return items[self.rnd.randrange(len(items))]

    def name(self) -> str:
        return self.pick(self.NAMES)

    def literal(self) -> str:
        k = self.rnd.randrange(11)
        if k == 0:
            return str(self.rnd.randrange(1000))
        if k == 1:
            return self.pick(["1.5", "0.0", "3.14159", "10.0", "1.50"])
        if k == 2:
            return self.pick(['"abc"', '"with \\"quote\\""', '"tab\\t nl\\n"', '""', '"dollar \\${x} sign"',
                              '"a ${x} b"', '"${r._value}"', '"日本語"'])
        if k == 3:
            return self.pick(["1h", "-5m", "1h30m", "2w", "1mo", "1y2mo", "10ms", "3us", "7ns", "1d"])
        if k == 4:
            return self.pick(["2021-01-01T00:00:00Z", "2021-01-01T10:20:30.123Z",
                              "2021-01-01T00:00:00+01:00", "2021-06-01"])
        if k == 5:
            return self.pick(["/abc/", "/^a.*b$/", "/a\\/b/", "/\\d+/"])
        if k == 6:
            return self.pick(["true", "false"])
        if k == 7:
            return "r." + self.name()
        if k == 8:
            return 'r["' + self.name() + '"]'
        return self.name()

    def expr(self, depth: int) -> str:
        if depth <= 0:
            return self.literal()
        k = self.rnd.randrange(16)
        sub = depth - 1
        if k == 0:
            return f"{self.expr(sub)} {self.pick(self.BIN)} {self.expr(sub)}"
        if k == 1:
            return f"{self.expr(sub)} {self.pick(['and', 'or'])} {self.expr(sub)}"
        if k == 2:
            return f"({self.expr(sub)})"
        if k == 3:
            return f"{self.pick(['-', 'not ', 'exists ', '+'])}{self.expr(sub)}"
        if k == 4:
            return self.call(sub)
        if k == 5:
            return self.record(sub)
        if k == 6:
            return "[" + ", ".join(self.expr(sub) for _ in range(self.rnd.randrange(7))) + "]"
        if k == 7:
            n = self.rnd.randrange(4)
            if n == 0:
                return "[:]"
            return "[" + ", ".join(f"{self.expr(0)}: {self.expr(sub)}" for _ in range(n)) + "]"
        if k == 8:
            return self.function(sub)
        if k == 9:
            return f"if {self.expr(sub)} then {self.expr(sub)} else {self.expr(sub)}"
        if k == 10:
            return self.pipe(sub)
        if k == 11:
            return f"{self.name()}[{self.expr(sub)}]"
        if k == 12:
            return f"{self.call(sub)}.{self.name()}"
        if k == 13:
            return f"({self.expr(sub)}) {self.pick(self.BIN)} ({self.expr(sub)})"
        if k == 14:
            return f"-({self.expr(sub)})"
        return self.literal()

    def args(self, depth: int, most: int) -> str:
        n = self.rnd.randrange(most)
        return ", ".join(f"{self.name()}{self.rnd.randrange(3)}: {self.expr(depth)}" for _ in range(n))

    def call(self, depth: int) -> str:
        return f"{self.pick(self.FUNCS)}({self.args(depth, 7 if depth <= 1 else 4)})"

    def record(self, depth: int) -> str:
        body = self.args(depth, 7 if depth <= 1 else 4)
        if self.rnd.randrange(3) == 0:
            return "{" + self.name() + " with " + (body or "a: 1") + "}"
        return "{" + body + "}"

    def function(self, depth: int) -> str:
        params = ", ".join(self.pick([f"p{i}", f"p{i}=1", f"p{i}=<-", f'p{i}="s"'])
                           for i in range(self.rnd.randrange(6)))
        if self.rnd.randrange(3) == 0:
            body = "{\n" + f"    y = {self.expr(depth)}\n    return y + {self.expr(0)}\n" + "}"
        elif self.rnd.randrange(2) == 0:
            body = "(" + self.record(depth) + ")"
        else:
            body = self.expr(depth)
        return f"({params}) => {body}"

    def pipe(self, depth: int) -> str:
        head = self.pick(['from(bucket: "b")', "tables", "data", "f()"])
        sep = self.pick([" ", "\n    "])
        stages = [self.call(depth) for _ in range(1 + self.rnd.randrange(3))]
        return head + "".join(f"{sep}|> {s}" for s in stages)

    def statement(self, depth: int) -> str:
        k = self.rnd.randrange(10)
        e = self.expr(depth)
        if k < 4:
            return f"{self.name()} = {e}"
        if k == 4:
            return f"option {self.name()} = {e}"
        if k == 5:
            return f"option now = () => {self.literal()}"
        if k == 6:
            return f"builtin {self.name()} : (v: A, ?w: int) => A where A: Addable"
        if k == 7:
            return f'testcase t{self.rnd.randrange(9)} {{\n    {self.name()} = {e}\n}}'
        return e

    def script(self, depth: int) -> str:
        head = []
        if self.rnd.randrange(4) == 0:
            head.append(self.pick(["package main", "package foo"]))
        if self.rnd.randrange(3) == 0:
            head.append(self.pick(['import "strings"', 'import "math"', 'import s "strings"']))
        if self.rnd.randrange(8) == 0:
            head.insert(0, '@edition("2022.1")')
        body = [self.statement(depth) for _ in range(1 + self.rnd.randrange(4))]
        joiner = self.pick(["\n", "\n\n", "\n\n\n"])
        return "\n".join(head) + ("\n" if head else "") + joiner.join(body) + "\n"


# --------------------------------------------------------------------------------------------
# re-spaced stdlib statements

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|//[^\n]*|[A-Za-z_][A-Za-z0-9_]*|\d[\w.:+-]*'
                    r'|\|>|<-|=>|[<>=!]=|=~|!~|\S')


def stdlib_files() -> List[Path]:
    return sorted(STDLIB.rglob("*.flux")) if STDLIB.is_dir() else []


def top_statements(source: str) -> List[str]:
    """The top-level statements of a file, whole lines each, with the comment lines above them."""
    try:
        body = parse(source).body
    except FluxSyntaxError:
        return []
    lines = source.split("\n")
    out = []
    for stmt in body:
        first = stmt.loc.line - 1
        while first > 0 and lines[first - 1].lstrip().startswith("//"):
            first -= 1
        out.append("\n".join(lines[first:stmt.loc.end_line]) + "\n")
    return out


def respace(source: str, rnd: random.Random, mode: Optional[int] = None) -> str:
    """The tokens of ``source`` with new white space and comments between them.

    ``mode``: 0 random white space, 1 as little as possible, 2 comments before tokens, 3 line
    breaks; random when None. A token the rough scanner cuts wrongly (inside a regex) only makes
    a script libflux refuses, which the corpus records as such."""
    tokens = _TOKEN.findall(source)
    out: List[str] = []
    if mode is None:
        mode = rnd.randrange(4)
    for i, tok in enumerate(tokens):
        if i:
            if tokens[i - 1].startswith("//"):
                gap = "\n"
            elif mode == 0:
                gap = rnd.choice([" ", " ", "  ", "\n", "\n    ", "\n\n", "\t"])
            elif mode == 1:
                gap = " " if (tok[0].isalnum() or tok[0] in '_"') and (
                    tokens[i - 1][-1].isalnum() or tokens[i - 1][-1] in '_"') else rnd.choice(["", " "])
            elif mode == 2:
                gap = rnd.choice([" ", " ", " ", "\n  // note\n", " // c\n"])
            else:
                gap = rnd.choice([" ", "\n", "\n        "])
            out.append(gap)
        out.append(tok)
    return "".join(out) + rnd.choice(["\n", "", "\n\n", " // end\n"])


# --------------------------------------------------------------------------------------------

SEED = 20230213  # libflux v0.193.0's release month; any fixed number would do
GENERATED = 700
COMMENTED = 200
RESPACED = 500
LONGEST = 1500  # characters of a stdlib statement taken for re-spacing (keeps the data small)


def generate(stdlib_whole: bool = True) -> Dict[str, str]:
    """{id: script}: the whole corpus (ids sort in generation order within a family)."""
    out: Dict[str, str] = {}
    gen = Gen(random.Random(SEED))
    for i in range(GENERATED):
        depth = 1 + i % 3
        out[f"gen{i:04d}"] = gen.script(depth)
    rnd = random.Random(SEED + 2)
    for i in range(COMMENTED):
        # small scripts of the grammar with comments before random tokens (regex-free: the
        # rough token scanner would cut a regex)
        script = gen.script(1 + i % 2)
        while "/" in script.replace("//", ""):
            script = gen.script(1 + i % 2)
        out[f"cmt{i:04d}"] = respace(script, rnd, mode=2)
    rnd = random.Random(SEED + 1)
    statements: List[Tuple[str, str]] = []
    files = stdlib_files()
    for path in files:
        rel = path.relative_to(STDLIB).as_posix()
        statements.extend((rel, s) for s in top_statements(path.read_text(encoding="utf-8"))
                          if len(s) <= LONGEST)
    if statements:
        for i in range(RESPACED):
            rel, stmt = statements[rnd.randrange(len(statements))]
            out[f"ws{i:04d}:{rel}"] = respace(stmt, rnd)
    if stdlib_whole:
        for path in files:
            out["stdlib:" + path.relative_to(STDLIB).as_posix()] = path.read_text(encoding="utf-8")
    return out


def main(argv: Optional[List[str]] = None) -> int:
    """Print one generated script (by id) or the ids, for looking at the corpus by hand."""
    args = sys.argv[1:] if argv is None else argv
    corpus = generate()
    if args:
        for key in args:
            sys.stdout.write(corpus[key])
    else:
        print("\n".join(corpus))
    return 0


if __name__ == "__main__":
    sys.exit(main())
