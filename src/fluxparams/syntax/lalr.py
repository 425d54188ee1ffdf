"""The LALR(1) driver: the shipped table (:mod:`.table`), the lexer and the tree builder.

The loop is Lark's LALR parser loop (the table was built by Lark and is read
exactly as Lark reads it), with the tree built during the parse: each
reduction calls the builder callback named after the rule (or its alias) with
the rule's children, filtered as Lark's tree builder filters them (tokens of
anonymous terminals dropped, ``_rule`` children spliced in, None for a missing
``[optional]`` item, a ``?rule`` with one child passed through). No tree other
than the final one is built and nothing recursive runs.

On an error the driver stops where it is and :mod:`.messages` makes the
message from its state: the token it could not take, the terminals the state
accepts (each tried on a copy of the state stack, reductions included) and
the value stack.
"""
from __future__ import annotations

import functools
from typing import Any, Callable, Dict, List, Optional, Sequence, Set, Tuple

from .errors import FluxSyntaxError
from .lexer import Lexer, LexError, Token
from .positions import Source

__all__ = ["Parser", "Tree"]

# (origin, size, kept children or None, trailing Nones, expand single child, callback, unit):
# a unit rule passes its one child through unchanged (most of the precedence ladder)
_Rule = Tuple[str, int, Optional[Tuple[Tuple[int, bool, int], ...]], int, bool, Callable[[List[Any]], Any],
              bool]


class Tree:
    """What a ``_rule`` without a callback makes (its parent splices the children in)."""

    __slots__ = ("data", "children")

    def __init__(self, data: str, children: List[Any]) -> None:
        self.data, self.children = data, children


class Parser:
    """One parse table with one builder (thread-safe: a parse keeps its state in locals)."""

    def __init__(self, table: Dict[str, Any], builder: object) -> None:
        self.states: List[Dict[str, int]] = list(table["states"])
        self.start: Dict[str, int] = dict(table["start"])
        self.end: Dict[str, int] = dict(table["end"])
        self.lexer = Lexer(table["terminals"], self.states)
        self.rules: List[_Rule] = []
        for origin, size, include, append_none, expand1, callback, tree_name in table["rules"]:
            if callback is not None:
                fn: Callable[[List[Any]], Any] = getattr(builder, callback)
            else:
                fn = functools.partial(Tree, tree_name)
            kept = None if include is None else tuple((i, bool(e), n) for i, e, n in include)
            unit = (size == 1 and bool(expand1) and not append_none
                    and (kept is None or kept == ((0, False, 0),)))
            self.rules.append((origin, size, kept, append_none, bool(expand1), fn, unit))

    def parse(self, src: Source, start: str) -> Any:
        """The tree of ``src.text`` parsed from ``start`` (``file`` or ``type_expression``)."""
        scanner = self.lexer.scanner(src.text)
        next_token = scanner.next
        states, rules = self.states, self.rules
        end_state = self.end[start]
        state_stack = [self.start[start]]
        value_stack: List[Any] = []
        while True:
            try:
                token = next_token(state_stack[-1])
            except LexError as exc:
                raise self._lex_error(exc, src, start, state_stack, value_stack) from None
            if token is None:
                kind = "$END"
                is_end = True
            else:
                kind = token.type
                is_end = False
            while True:
                action = states[state_stack[-1]].get(kind)
                if action is None:
                    raise self._token_error(src, start, token, state_stack, value_stack) from None
                if action >= 0:  # shift (the end is never shifted: it reduces to the end state)
                    state_stack.append(action)
                    value_stack.append(token)
                    break
                origin, size, include, append_none, expand1, fn, unit = rules[-1 - action]
                if unit:
                    goto = states[state_stack[-2]][origin]
                    state_stack[-1] = goto
                    if is_end and goto == end_state:
                        return value_stack[-1]
                    continue
                if size:
                    children = value_stack[-size:]
                    del state_stack[-size:]
                    del value_stack[-size:]
                else:
                    children = []
                if include is not None:
                    filtered: List[Any] = []
                    for i, expand, nones in include:
                        if nones:
                            filtered.extend([None] * nones)
                        if expand:
                            if filtered:
                                filtered.extend(children[i].children)
                            else:
                                # a left-recursive list (x*): take over the list built
                                # so far instead of copying it, or a long file's
                                # statements are copied once per statement
                                filtered = children[i].children
                        else:
                            filtered.append(children[i])
                    if append_none:
                        filtered.extend([None] * append_none)
                    children = filtered
                if expand1 and len(children) == 1:
                    value = children[0]
                else:
                    value = fn(children)
                goto = states[state_stack[-1]][origin]
                state_stack.append(goto)
                value_stack.append(value)
                if is_end and goto == end_state:
                    return value

    def accepts(self, state_stack: Sequence[int], start: str) -> Set[str]:
        """The terminals that would let the parse go on from ``state_stack``.

        A state's table row may reduce on a terminal that a state reached by
        the reduction then refuses (LALR merges look-aheads), so each terminal
        is tried on a copy of the stack.
        """
        states = self.states
        end_state = self.end[start]
        result = set()
        for name in states[state_stack[-1]]:
            if not name.isupper():
                continue  # a rule name (goto), not a terminal
            stack = list(state_stack)
            is_end = name == "$END"
            while True:
                action = states[stack[-1]].get(name)
                if action is None:
                    break
                if action >= 0:
                    if not is_end:
                        result.add(name)
                    break
                origin, size = self.rules[-1 - action][:2]
                if size:
                    del stack[-size:]
                goto = states[stack[-1]][origin]
                stack.append(goto)
                if is_end and goto == end_state:
                    result.add(name)
                    break
        return result

    # (messages is imported on the first error: a valid script never needs it)

    def _token_error(self, src: Source, start: str, token: Optional[Token], state_stack: List[int],
                     value_stack: List[Any]) -> FluxSyntaxError:
        from .messages import unexpected_token
        return unexpected_token(src, token, self.accepts(state_stack, start), value_stack, self.lexer)

    def _lex_error(self, exc: LexError, src: Source, start: str, state_stack: List[int],
                   value_stack: List[Any]) -> FluxSyntaxError:
        if exc.found is None:
            from .messages import unexpected_character
            return unexpected_character(src, exc.pos, exc.line, exc.column,
                                        "TEXT" in self.lexer.state_accepts(state_stack[-1]))
        return self._token_error(src, start, exc.found, state_stack, value_stack)

