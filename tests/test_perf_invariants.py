"""Invariants the performance work relies on (no timings: benchmarks/ measures speed).

- analyze pauses the cyclic GC for big scripts and always leaves it as it found it;
- the pause is re-entrant and shared between threads.
"""
from __future__ import annotations

import gc
import threading
from pathlib import Path

import pytest

import fluxparams
from fluxparams import api
from fluxparams import tree as t


def big_script(lines: int = 3000) -> str:
    text = "".join(f"x{i} = params.n + {i}\n" for i in range(lines))
    assert len(text) > api.PAUSE_GC_ABOVE
    return text


@pytest.fixture
def gc_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_big_script_is_analyzed_without_collections(gc_on):
    collections = []

    def seen(phase, info):
        if phase == "start":
            collections.append(info["generation"])

    gc.callbacks.append(seen)
    try:
        result = fluxparams.analyze(big_script())
    finally:
        gc.callbacks.remove(seen)
    assert result.params == {"n": "int"}
    assert collections == []
    assert gc.isenabled()


def test_gc_reenabled_after_syntax_error(gc_on):
    bad = big_script() + "x = (\n"
    with pytest.raises(fluxparams.FluxSyntaxError):
        fluxparams.analyze(bad)
    assert gc.isenabled()


def test_gc_stays_disabled_if_caller_disabled_it(gc_on):
    gc.disable()
    fluxparams.analyze(big_script())
    assert not gc.isenabled()
    gc.enable()


def test_pause_is_reentrant(gc_on):
    with api.gc_paused:
        assert not gc.isenabled()
        with api.gc_paused:
            assert not gc.isenabled()
        assert not gc.isenabled()  # only the outermost exit re-enables
    assert gc.isenabled()


def test_pause_across_threads_reenables_once_all_are_done(gc_on):
    inside = threading.Barrier(2)
    release = threading.Event()
    errors = []

    def worker():
        try:
            with api.gc_paused:
                inside.wait(5)
                release.wait(5)
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    t = threading.Thread(target=worker)
    t.start()
    with api.gc_paused:
        inside.wait(5)
    # this thread's pause ended, the worker's has not: the GC must stay off
    assert not gc.isenabled()
    release.set()
    t.join(5)
    assert not errors
    assert gc.isenabled()


def test_concurrent_big_analyses_restore_gc(gc_on):
    script = big_script(1500)
    results, errors = [], []

    def worker():
        try:
            results.append(fluxparams.analyze(script).params)
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    assert results == [{"n": "int"}] * 4
    assert gc.isenabled()


def test_reference_is_an_immutable_value():
    import copy
    import pickle
    a = fluxparams.analyze("x = params.a + 1\ny = params.b\n")
    r, s = a.references
    assert (r.name, r.type, r.line, r.column, r.end_line, r.end_column) == ("a", "int", 1, 5, 1, 13)
    assert r == api.Reference("a", "int", 1, 5, 1, 13) and r != s
    assert hash(r) == hash(api.Reference(name="a", type="int", line=1, column=5, end_line=1, end_column=13))
    assert pickle.loads(pickle.dumps(r)) == r == copy.deepcopy(r)
    assert repr(r) == "Reference(name='a', type='int', line=1, column=5, end_line=1, end_column=13)"
    with pytest.raises(AttributeError):
        r.name = "z"


# ---------------------------------------------------------------------------
# The driver against Lark: fluxparams parses with its own lexer and LALR driver
# over the shipped table (scripts/build_parse_table.py); Lark's own LALR parser
# with its contextual lexer, over the same grammar and tree builder, must give
# exactly the same trees, and stop at the same place in the same state (hence
# the same error messages), on the corpora and on thousands of mutations.
# ---------------------------------------------------------------------------

def _outcome(parse_fn, text):
    try:
        result = parse_fn(text)
    except fluxparams.FluxSyntaxError as e:
        return ("error", e.msg, e.lineno, e.offset, e.end_lineno, e.end_offset)
    locs = [(type(node).__name__, tuple(node.loc)) for node in t.walk(result)]  # == ignores locs
    return ("tree", result, locs)


def _mutations(sources, per_source, seed):
    import random
    rng = random.Random(seed)
    alphabet = (list('()[]{}"$\\/.,:=<>-+*%^|!~@?\n \t#') + list("abe09_µ日")
                + ["${", "//", "=>", "<-", "|>", "with ", "where ", "stream", "/a/", "1m", "2020-01-01"])
    out = []
    for s in sources:
        for _ in range(per_source):
            chars = list(s)
            for _ in range(rng.randint(1, 3)):
                i = rng.randrange(len(chars) + 1)
                op = rng.random()
                if op < 0.4 and chars:
                    del chars[min(i, len(chars) - 1)]
                elif op < 0.85:
                    chars.insert(i, rng.choice(alphabet))
                else:
                    chars = chars[:i]
            out.append("".join(chars))
    return out


def _lark_reference():
    """parse(text, start) with Lark's LALR parser and contextual lexer, its exceptions
    turned into FluxSyntaxError by the package's message functions."""
    from pathlib import Path

    import lark
    from lark.exceptions import UnexpectedCharacters, UnexpectedToken

    from fluxparams.syntax import messages, parser, positions
    from fluxparams.syntax.builder import Builder
    from fluxparams.syntax.lexer import make_token

    grammar = (Path(__file__).resolve().parents[1] / "grammar" / "flux.lark").read_text(encoding="utf-8")
    reference = lark.Lark(grammar, parser="lalr", lexer="contextual", start=["file", "type_expression"],
                          transformer=Builder(), maybe_placeholders=True)
    lexer = parser.parser().lexer

    def run(text, start):
        # what fluxparams.syntax.parser does around the driver
        if start == "file" and text.endswith(("|", "!", "@")):
            text = text[:-1]
        with positions.parsing(text) as src:
            try:
                return reference.parse(text, start=start)
            except UnexpectedCharacters as exc:
                raise messages.unexpected_character(src, exc.pos_in_stream, exc.line, exc.column,
                                                    "TEXT" in (exc.allowed or ())) from None
            except UnexpectedToken as exc:
                tok = exc.token
                ours = None
                if tok.type != "$END":
                    ours = make_token(tok.type, str(tok), tok.start_pos, tok.line, tok.column)
                    ours.end_line, ours.end_column = tok.end_line, tok.end_column
                state = exc.interactive_parser
                raise messages.unexpected_token(src, ours, state.accepts(),
                                                state.parser_state.value_stack, lexer) from None
    return run


def test_driver_matches_larks_own_parser():
    from conftest import CASES

    from fluxparams import stdlib
    from fluxparams.syntax import parse, parse_type_expression

    sources = sorted(p.read_text(encoding="utf-8") for p in CASES.rglob("*.flux"))
    stdlib_dir = Path(__file__).resolve().parents[2] / "shared" / "flux" / "stdlib-v0.193.0"
    stdlib_sources = sorted(p.read_text(encoding="utf-8") for p in stdlib_dir.rglob("*.flux"))
    assert len(sources) > 50
    types = sorted(text for _, _, text in stdlib.all_values())
    files = (sources + stdlib_sources + _mutations(sources, 8, seed=7)
             + _mutations(stdlib_sources[::8], 4, seed=3))
    type_texts = types + _mutations(types[::4], 6, seed=11)

    reference = _lark_reference()
    ours = [_outcome(parse, s) for s in files]
    theirs = [_outcome(lambda s: reference(s, "file"), s) for s in files]
    assert sum(o[0] == "error" for o in ours) > 500  # the mutations do reach the error paths
    for text, a, b in zip(files, ours, theirs):
        assert a == b, text
    ours_types = [_outcome(parse_type_expression, s) for s in type_texts]
    theirs_types = [_outcome(lambda s: reference(s, "type_expression"), s) for s in type_texts]
    for text, a, b in zip(type_texts, ours_types, theirs_types):
        assert a == b, text


def test_no_lark_at_run_time():
    # every process parses the same way: the shipped table, no Lark (not even for errors)
    import subprocess
    import sys
    code = ("import sys, fluxparams\n"
            "fluxparams.parse('x = 1')\n"
            "for bad in ('x = (', 'x = \"a', 'x = #', 'x = 1 +'):\n"
            "    try: fluxparams.parse(bad)\n"
            "    except fluxparams.FluxSyntaxError: pass\n"
            "fluxparams.analyze('y = params.a + 1')\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'lark'))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("source, column", [
    ('x = " $\\{ {r: 1}.r } "', 8),   # found by the mutation property test
    ('x = "a$\\qb"', 8),
])
def test_backslash_after_dollar_is_still_checked_as_an_escape(source, column):
    # "$" + any character is one unit of string text for the lexer, as for libflux's
    # scanner; the escape after it must still be validated (libflux: invalid escape)
    with pytest.raises(fluxparams.FluxSyntaxError) as info:
        fluxparams.parse(source)
    assert "invalid escape sequence" in info.value.msg
    assert (info.value.lineno, info.value.offset) == (1, column)


def test_dollar_before_a_valid_escape_is_text():
    assert fluxparams.parse('x = "a$\\nb"').body[0].init.value == "a$\nb"
    assert fluxparams.parse('x = "$\\x41"').body[0].init.value == "$A"


# -- start-up: what `fluxparams check` loads (issue 12, target 5) --------------------------------

# Modules a `check` of one file has no use for; each was once on that path and cost start-up
# time (tempfile/shutil/bz2/lzma through the fmt command and argparse's help width, difflib for
# "did you mean" hints, the formatter for `fluxparams.format`, Lark for the table).
NOT_ON_CHECK_PATH = ("tempfile", "shutil", "bz2", "lzma", "difflib", "lark", "fluxparams.format",
                     "fluxparams.layout")


def test_check_start_up_loads_nothing_it_does_not_use(tmp_path):
    import subprocess
    import sys
    script = tmp_path / "one.flux"
    script.write_text('from(bucket: params.bucket) |> range(start: -1h) |> filter(fn: (r) => r.a =~ /x/)\n',
                      "utf-8")
    code = ("import sys\n"
            "from fluxparams.cli import main\n"
            f"rc = main(['check', '--no-cache', {str(script)!r}])\n"
            f"print(rc, sorted(m for m in {NOT_ON_CHECK_PATH!r} if m in sys.modules))\n")
    # from a directory without a pyproject.toml, as for a script outside any project
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=tmp_path)
    assert out.stdout.strip().splitlines()[-1] == "0 []", out.stdout + out.stderr


def test_the_error_hints_still_load_difflib_when_needed():
    messages = [d.message for d in fluxparams.analyze("x = lenght(arr: [params.a])\n").diagnostics]
    assert messages == ["undefined identifier lenght; did you mean length?"]
    messages = [d.message for d in fluxparams.analyze('import "strngs"\nx = params.a\n').diagnostics]
    assert messages == ['unknown import "strngs"; did you mean "strings"?']


@pytest.mark.parametrize("first", ["import fluxparams.format", "from fluxparams.format import format",
                                   "import fluxparams", "from fluxparams import format"])
def test_fluxparams_format_is_the_function_whatever_is_imported_first(first):
    import subprocess
    import sys
    code = (f"{first}\n"
            "import fluxparams, types\n"
            "assert isinstance(fluxparams.format, types.FunctionType), fluxparams.format\n"
            "import fluxparams.format as again\n"
            "from fluxparams.format import format as same\n"
            "assert again is same is fluxparams.format\n"
            "print(fluxparams.format('x=1'), end='')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout == "x = 1\n"


@pytest.mark.parametrize("columns", ["50", "120"])
def test_help_is_wrapped_to_the_terminal_width(columns):
    # the CLI finds the width itself (argparse would import shutil for it): COLUMNS as shutil reads it
    import os
    import subprocess
    import sys
    env = dict(os.environ, COLUMNS=columns)
    for args in (["--help"], ["check", "--help"]):
        cli = [sys.executable, "-c", "import sys; from fluxparams.cli import main; sys.exit(main())"]
        out = subprocess.run([*cli, *args], capture_output=True, text=True, env=env, check=True).stdout
        # (argparse never breaks a usage item such as "[--format {text,json,github}]")
        widths = [len(line) for line in out.splitlines() if "[" not in line]
        assert max(widths) <= int(columns) - 2
        assert max(widths) > int(columns) - 30  # wrapped to that width, not to a fixed one
