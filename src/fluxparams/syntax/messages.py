"""Syntax error messages, made from the parser's state where it stopped.

The messages and positions are the ones tests/cases/parse and the conformance
verdicts hold (libflux's positions; wording of our own where libflux's would
not help). What they need from the parser: the token it could not take (or the
character no token starts with), the terminals the state accepts (those that
would let the parse go on, reductions included) and the stack of values, whose
tokens tell which bracket or string is still open.
"""
from __future__ import annotations

from typing import AbstractSet, Any, Iterable, List, Optional, Sequence

from .errors import FluxSyntaxError
from .lexer import KEYWORDS, Lexer, Token, make_token
from .literals import BAD_ESCAPE
from .positions import Source, tok_loc

__all__ = ["describe", "unexpected_character", "unexpected_token"]

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
    return FluxSyntaxError(msg, line, byte_column, line, byte_column + width)


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
                                   column + width)
        relexed = make_token(got[0], got[1], tok.start_pos, tok.line, tok.column)
        # (a relexed token never spans lines: Lark's positions for it did not either)
        relexed.end_line, relexed.end_column = tok.line, tok.column + len(got[1])
        tok = relexed
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
