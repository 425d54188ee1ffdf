"""Properties of analyze() on generated scripts (hypothesis).

Scripts are built as token lists from pipeline fragments and params uses, so that they can be
re-rendered with arbitrary whitespace and comments between tokens.
"""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fluxparams import FluxSyntaxError, analyze

NAMES = ["bucket", "start", "n", "f", "every", "x", "threshold"]


def param():
    return st.sampled_from(NAMES).flatmap(
        lambda n: st.sampled_from([["params", ".", n], ["params", "[", f'"{n}"', "]"]]))


def value():
    literal = st.sampled_from([['"b"'], ["1"], ["2.5"], ["-", "1h"], ["1h"], ["true"],
                               ["2021-01-01T00:00:00Z"]])
    return st.one_of(param(), literal)


def call(name, *args):
    def build(values):
        toks = [name, "("]
        for i, (arg, v) in enumerate(zip(args, values)):
            if i:
                toks.append(",")
            toks += [arg, ":"] + v
        return toks + [")"]
    return st.tuples(*[value() for _ in args]).map(build)


def transform():
    return st.one_of(
        call("range", "start"),
        call("range", "start", "stop"),
        call("limit", "n"),
        call("aggregateWindow", "every").map(lambda t: t[:-1] + [",", "fn", ":", "mean", ")"]),
        value().map(lambda v: ["filter", "(", "fn", ":", "(", "r", ")", "=>", "r", ".", "_field",
                               "==", *v, ")"]),
        value().map(lambda v: ["filter", "(", "fn", ":", "(", "r", ")", "=>", "r", ".", "_value",
                               ">", *v, ")"]),
        value().map(lambda v: ["map", "(", "fn", ":", "(", "r", ")", "=>", "(", "{", "r", "with",
                               "v", ":", *v, "}", ")", ")"]),
        value().map(lambda v: ["group", "(", "columns", ":", "[", *v, "]", ")"]),
    )


def pipeline():
    return st.tuples(call("from", "bucket"), st.lists(transform(), max_size=5)).map(
        lambda p: p[0] + [t for tr in p[1] for t in (["|>"] + tr)])


def binding(i):
    op = st.sampled_from(["+", "-", "*", "==", "<", "and"])
    return st.tuples(value(), op, value()).map(lambda t: [f"v{i}", "="] + t[0] + [t[1]] + t[2])


@st.composite
def script(draw):
    """Token lists: a few bindings v0.., then a pipeline that may use them."""
    toks = []
    n = draw(st.integers(0, 3))
    for i in range(n):
        toks += draw(binding(i))
    pipe = draw(pipeline())
    if n and draw(st.booleans()):
        pipe += ["|>", "limit", "(", "n", ":", f"v{draw(st.integers(0, n - 1))}", ")"]
    return toks + pipe


def render(tokens, seps):
    out = [tokens[0]]
    for tok, sep in zip(tokens[1:], seps):
        out.append(sep)
        out.append(tok)
    return "".join(out)


SEP = st.sampled_from([" ", "  ", "\n", "\t", " // note\n", "\n\n", "\r\n", "// x |> y\n  "])


def answer(source):
    try:
        a = analyze(source)
    except FluxSyntaxError:
        return "syntax error"
    return a.params, a.flux_types, sorted(d.code for d in a.diagnostics)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(script(), st.data())
def test_never_raises_anything_but_a_syntax_error(tokens, data):
    source = " ".join(tokens)
    answer(source)
    # mutate: delete, duplicate or insert characters
    for _ in range(3):
        if not source:
            break
        i = data.draw(st.integers(0, len(source) - 1))
        how = data.draw(st.sampled_from(["del", "dup", "ins"]))
        if how == "del":
            source = source[:i] + source[i + 1:]
        elif how == "dup":
            source = source[:i] + source[i] + source[i:]
        else:
            source = source[:i] + data.draw(st.sampled_from(list('()[]{}.,:"=<-|>+*/ \n#@x1'))) + source[i:]
        answer(source)


@settings(max_examples=100, deadline=None)
@given(script(), st.data())
def test_whitespace_and_comments_do_not_matter(tokens, data):
    plain = answer(" ".join(tokens))
    seps = data.draw(st.lists(SEP, min_size=len(tokens) - 1, max_size=len(tokens) - 1))
    assert answer(render(tokens, seps)) == plain


@settings(max_examples=100, deadline=None)
@given(script(), st.sampled_from(["renamed", "zz_local", "bucketName", "évite"]))
def test_renaming_a_local_variable_does_not_matter(tokens, new):
    renamed = [new if t == "v0" else t for t in tokens]
    assert answer(" ".join(renamed)) == answer(" ".join(tokens))
