"""Syntax error messages, made from the parser's state where it stopped.

The messages and positions are the ones tests/cases/parse and the conformance
verdicts hold (libflux's positions; wording of our own where libflux's would
not help). What they need from the parser: the token it could not take (or the
character no token starts with), the terminals the state accepts (those that
would let the parse go on, reductions included) and the stack of values, whose
tokens tell which bracket or string is still open.

A message stays the parser's view; a likely mistake behind it (``&&`` for
``and``, ``=`` for ``==``, a positional argument, a missing comma, a byte order
mark) adds a separate :attr:`FluxSyntaxError.hint`.
"""
from __future__ import annotations

import re
from typing import AbstractSet, Any, Iterable, List, Optional, Sequence

from .. import tree as t
from .errors import FluxSyntaxError
from .lexer import KEYWORDS, Lexer, Token, make_token
from .literals import BAD_ESCAPE
from .positions import Source, tok_loc

__all__ = ["character_hint", "describe", "token_hint", "unexpected_character", "unexpected_token"]

_HUMAN = {
    "LPAR": '"("', "RPAR": '")"', "LSQB": '"["', "RSQB": '"]"', "LBRACE": '"{"', "RBRACE": '"}"',
    "COMMA": '","', "COLON": '":"', "DOT": '"."', "QUESTION": '"?"', "ARROW": '"=>"',
    "PIPE_FORWARD": '"|>"', "PIPE_RECEIVE": '"<-"', "ASSIGN": '"="', "EQ": '"=="', "NEQ": '"!="',
    "LT": '"<"', "LTE": '"<="', "GT": '">"', "GTE": '">="', "REGEXEQ": '"=~"', "REGEXNEQ": '"!~"',
    "ADD": '"+"', "SUB": '"-"', "MUL": '"*"', "DIV": '"/"', "MOD": '"%"', "POW": '"^"',
    "QUOTE": "a string", "INTERP_START": '"${"', "TEXT": "string text",
    "IDENT": "an identifier", "ATTRIBUTE": "an attribute", "INT": "an integer",
    "FLOAT": "a float", "DURATION": "a duration", "DATETIME": "a date-time", "REGEX": "a regex",
    "WITH": '"with"', "WHERE": '"where"', "EXTENDS": '"extends"', "STREAM": '"stream"',
    "VECTOR": '"vector"', "$END": "end of input",
}
_HUMAN.update({kw.upper(): f'"{kw}"' for kw in KEYWORDS})

_OPERAND_STARTS = frozenset({"IDENT", "INT", "FLOAT", "QUOTE", "REGEX", "LPAR", "LSQB", "LBRACE"})
_CLOSERS = {"LPAR": "RPAR", "LSQB": "RSQB", "LBRACE": "RBRACE", "QUOTE": "QUOTE",
            "INTERP_START": "RBRACE"}
_BINARY = frozenset({"EQ", "NEQ", "LT", "LTE", "GT", "GTE", "REGEXEQ", "REGEXNEQ", "ADD", "SUB",
                     "MUL", "DIV", "MOD", "POW", "PIPE_FORWARD", "AND", "OR", "DOT", "LPAR", "LSQB"})


def describe(names: Iterable[str]) -> str:
    """What a set of terminals means to a reader: "an expression", "an operator", ..."""
    rest = set(names)
    parts: List[str] = []
    if _OPERAND_STARTS <= rest:
        parts.append("an expression")
        rest -= _OPERAND_STARTS | {"DURATION", "DATETIME", "PIPE_RECEIVE", "ADD", "SUB", "NOT",
                                   "EXISTS", "IF", "DOT"}
    if len(rest & _BINARY) > 3:
        parts.append("an operator")
        rest -= _BINARY
    if "IDENT" in rest and {"RETURN", "OPTION", "BUILTIN", "TESTCASE"} <= rest:
        parts.append("a statement")
        rest -= {"RETURN", "OPTION", "BUILTIN", "TESTCASE", "IDENT", "ATTRIBUTE"}
    parts.extend(sorted(_HUMAN.get(n, n) for n in rest))
    if not parts:
        return "nothing"
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " or " + parts[-1]


def _found(tok: Token) -> str:
    if tok.type == "$END":
        return "end of input"
    if tok.type in KEYWORDS or tok.type.lower() in KEYWORDS:
        return f'keyword "{tok}"'
    if tok.type == "QUOTE":
        return "a string"
    text = str(tok)
    if len(text) > 20:
        text = text[:17] + "..."
    return f'"{text}"'


def _open_bracket(values: Sequence[Any]) -> Optional[Token]:
    """The innermost bracket (or string quote) still open among the parser's stack values."""
    openers: List[Token] = []
    for item in values:
        kind = getattr(item, "type", None)
        if kind is None or hasattr(item, "loc"):
            continue  # a node or a helper object, not a token
        if kind == "QUOTE":
            if openers and openers[-1].type == "QUOTE":
                openers.pop()
            else:
                openers.append(item)
        elif kind in _CLOSERS:
            openers.append(item)
        elif kind in ("RPAR", "RSQB", "RBRACE") and openers:
            openers.pop()
    return openers[-1] if openers else None


def unexpected_character(src: Source, pos: int, line: int, column: int,
                         text_allowed: bool) -> FluxSyntaxError:
    """No token starts at offset ``pos`` (``column`` in characters)."""
    text = src.text
    ch = text[pos] if 0 <= pos < len(text) else ""
    byte_column = src.byte_column(pos, column)
    if text_allowed and ch == "\\":
        msg, width = BAD_ESCAPE, 2
    elif ch == "/":
        msg, width = "unterminated regex literal", 1
    else:
        msg = f"invalid character {ch!r}" if ch else "unexpected end of input"
        width = max(1, len(ch.encode("utf-8", "surrogatepass")))
    return FluxSyntaxError(msg, line, byte_column, line, byte_column + width, character_hint(text, pos))


def character_hint(text: str, pos: int) -> str:
    """What the character at ``pos``, which starts no token, was probably meant to be."""
    ch, after = text[pos:pos + 1], text[pos + 1:pos + 2]
    if ch == "&":
        return 'Flux writes the logical operator "&&" as "and": a and b'
    if ch == "|":
        return 'Flux writes the logical operator "||" as "or": a or b' if after == "|" else 'the pipe is "|>"'
    if ch == "!":
        return 'Flux writes negation as "not": not a ("!" only starts "!=" and "!~")'
    if ch == "\ufeff":
        if pos == 0:
            return ("the file starts with a UTF-8 byte order mark (BOM), which libflux rejects: "
                    "save the file as UTF-8 without BOM")
        return "U+FEFF (a byte order mark) is invisible but not allowed here: delete it"
    return ""


def _argument_text(text: str, start: int) -> str:
    """The source of the argument starting at ``start`` (up to its "," or ")"), "" if unclear."""
    depth = 0
    for i in range(start, min(len(text), start + 60)):
        c = text[i]
        if c in "\"\n":
            return ""  # a string or a line break: not worth quoting back
        if c in "([{":
            depth += 1
        elif c in ")]}" or (c == "," and depth == 0):
            if depth == 0:
                return text[start:i].strip()
            depth -= 1
    return ""


def token_hint(text: str, tok: Token, accepted: AbstractSet[str], values: Sequence[Any]) -> str:
    """What the writer probably meant where the parser cannot take ``tok``."""
    if tok.type == "ASSIGN" and values and hasattr(values[-1], "loc"):
        # "=" right after an operand (the parser has reduced it, so "==" is no longer listed)
        return 'to compare, write "=="; "=" only assigns a variable'
    opener = _open_bracket(values)
    if opener is None or opener.type not in ("LPAR", "LBRACE"):
        return ""
    last: Any = values[-1] if values else None
    if (tok.type == "COLON" and type(last) in (t.Identifier, t.StringLiteral) and len(values) > 1
            and hasattr(values[-2], "loc")):
        # `a: 1 b: 2` reads as the operand `1 b` (libflux's "invalid operator") until the ":"
        key = last.name if type(last) is t.Identifier else f'"{last.value}"'
        return f'missing "," before {key}?'
    if tok.type == "ASSIGN" and getattr(last, "type", None) == "IDENT":
        return f'arguments and record fields are written with ":": {last}: value'
    at = max(i for i, v in enumerate(values) if v is opener)
    named = accepted == {"COLON", "COMMA", "RPAR"} or accepted <= {"IDENT", "QUOTE", "RPAR"}
    if opener.type != "LPAR" or not named or at == 0 or not hasattr(values[at - 1], "loc"):
        return ""
    # a call: `f(x.y)` or `f(1)`, where Flux wants `f(name: value)`
    start = last.start_pos if getattr(last, "type", None) == "IDENT" else tok.start_pos
    callee = re.search(r"[A-Za-z_][\w.]*\s*$", text[:opener.start_pos])
    name = callee.group().strip() if callee is not None else ""
    value = _argument_text(text, start)
    value = value if value and ":" not in value else "value"
    return f"Flux arguments are named: {name}(<name>: {value}), with the parameter's name"


def unexpected_token(src: Source, tok: Optional[Token], accepted: AbstractSet[str],
                     values: Sequence[Any], lexer: Lexer) -> FluxSyntaxError:
    """The parser cannot take ``tok`` (None: the end of the text) in a state that
    accepts the terminals ``accepted``; ``values`` is its value stack."""
    if tok is not None and tok.type == "TEXT":
        # string text where no string is open (the lexer's fallback read it):
        # say what libflux's scanner would have seen there
        got = lexer.longest_match(src.text, tok.start_pos)
        if got is None:
            ch = src.text[tok.start_pos]
            column = src.byte_column(tok.start_pos, tok.column)
            width = len(ch.encode("utf-8", "surrogatepass"))
            return FluxSyntaxError(f"invalid character {ch!r}", tok.line, column, tok.line,
                                   column + width, character_hint(src.text, tok.start_pos))
        relexed = make_token(got[0], got[1], tok.start_pos, tok.line, tok.column)
        # (a relexed token never spans lines: Lark's positions for it did not either)
        relexed.end_line, relexed.end_column = tok.line, tok.column + len(got[1])
        tok = relexed
    error = _unexpected(src, tok, accepted, values)
    if tok is not None:
        error.hint = token_hint(src.text, tok, accepted, values)
    return error


def _unexpected(src: Source, tok: Optional[Token], accepted: AbstractSet[str],
                values: Sequence[Any]) -> FluxSyntaxError:
    at_end = tok is None
    if tok is None:
        line, column = src.end_of_input()
        end_line, end_column = line, column
    else:
        line, column, end_line, end_column = tok_loc(tok)
    opener = _open_bracket(values)
    closer = _CLOSERS.get(opener.type) if opener is not None else None
    if opener is not None and closer is not None and closer in accepted:
        oloc = tok_loc(opener)
        what = "the string" if opener.type == "QUOTE" else _HUMAN[opener.type]
        closing = "'\"'" if closer == "QUOTE" else _HUMAN[closer]
        msg = f"expected {closing} to close {what} at {oloc.line}:{oloc.column}"
        if at_end:
            # the end of input may be far away (a missing quote swallows the
            # rest of the file): point at what was never closed
            return FluxSyntaxError("unexpected end of input: " + msg, *oloc)
        assert tok is not None
        if accepted - {closer}:
            msg = f"{msg}, found {_found(tok)}"
        return FluxSyntaxError(msg, line, column, end_line, end_column)
    if tok is None:
        return FluxSyntaxError(f"unexpected end of input, expected {describe(accepted)}",
                               line, column, end_line, end_column)
    word = str(tok)
    if word == "import" or word == "package":
        where = "at the top of the file" if word == "package" else "before the first statement"
        return FluxSyntaxError(f'"{word}" can only appear {where}', line, column, end_line, end_column)
    if word in ("if", "not", "exists") and _OPERAND_STARTS <= accepted:
        return FluxSyntaxError(f'"{word} ..." cannot be an operand here: put it in parentheses',
                               line, column, end_line, end_column)
    if word in KEYWORDS and "IDENT" in accepted:
        return FluxSyntaxError(f'"{tok}" is a keyword and cannot be used as an identifier',
                               line, column, end_line, end_column)
    return FluxSyntaxError(f"expected {describe(accepted)}, found {_found(tok)}",
                           line, column, end_line, end_column)
