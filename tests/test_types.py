"""Unit tests of the type terms: unification, kinds, records, functions, printing."""
from __future__ import annotations

import pytest

from fluxparams import typeterms as T
from fluxparams.typeerrors import UnificationError
from fluxparams.typeprint import format_type
from fluxparams.typeterms import BOOL, BYTES, DURATION, FLOAT, INT, REGEXP, STRING, TIME
from fluxparams.unify import Unifier, generalize, instantiate


@pytest.fixture
def u():
    return Unifier()


def unify(u, a, b):
    errs = []
    u.unify(a, b, errs)
    return [e.message for e in errs]


def fn(req=None, opt=None, pipe=None, ret=INT):
    return T.Function(dict(req or {}), {k: (v, None) for k, v in (opt or {}).items()}, pipe, ret)


# -- basics and variables -------------------------------------------------------------------------

def test_basic_mismatch_message(u):
    assert unify(u, INT, STRING) == ["expected int but found string"]
    assert unify(u, INT, INT) == []


def test_var_binds_and_prunes(u):
    a = u.fresh()
    assert unify(u, a, INT) == []
    assert T.prune(a) is INT
    assert unify(u, a, STRING) == ["expected int but found string"]


def test_path_compression(u):
    vs = [u.fresh() for _ in range(50)]
    for x, y in zip(vs, vs[1:]):
        assert unify(u, x, y) == []
    assert unify(u, vs[-1], FLOAT) == []
    assert T.prune(vs[0]) is FLOAT
    # after one prune every variable on the path points straight at the type
    assert all(v.ref is FLOAT for v in vs[:-1])


def test_occurs_check(u):
    a = u.fresh()
    msgs = unify(u, a, T.Array(a))
    assert len(msgs) == 1 and msgs[0].startswith("recursive types not supported")
    assert T.prune(a) is a


@pytest.mark.parametrize("basic,kind,ok", [
    (INT, "Addable", True), (INT, "Timeable", False), (STRING, "Subtractable", False),
    (STRING, "Addable", True), (BOOL, "Comparable", False), (BOOL, "Equatable", True),
    (DURATION, "Negatable", True), (DURATION, "Addable", False), (TIME, "Timeable", True),
    (REGEXP, "Equatable", False), (REGEXP, "Basic", True), (BYTES, "Equatable", True),
    (FLOAT, "Divisible", True), (TIME, "Stringable", True),
])
def test_basic_kinds(u, basic, kind, ok):
    err = u.constrain(basic, kind)
    assert (err is None) == ok
    if not ok:
        assert err.message == f"{basic.name} is not {kind}"


def test_kind_checked_when_variable_is_bound(u):
    a = u.fresh()
    assert u.constrain(a, "Subtractable") is None
    assert unify(u, a, STRING) == ["string is not Subtractable"]


def test_kinds_merge_on_variable_union(u):
    a, b = u.fresh(), u.fresh()
    u.constrain(a, "Addable")
    u.constrain(b, "Divisible")
    assert unify(u, a, b) == []
    assert unify(u, b, STRING) == ["string is not Divisible"]


def test_composite_kinds(u):
    assert u.constrain(T.Array(INT), "Equatable") is None
    assert u.constrain(T.Array(INT), "Comparable").message == "[int] (array) is not Comparable"
    rec = T.record([("a", INT)])
    assert u.constrain(rec, "Record") is None
    assert u.constrain(rec, "Equatable") is None
    assert u.constrain(T.record([("a", REGEXP)]), "Equatable") is not None
    assert u.constrain(fn(), "Equatable").message.endswith("(function) is not Equatable")
    assert u.constrain(T.Dict_(STRING, INT), "Equatable") is not None


def test_error_type_unifies_with_anything(u):
    assert unify(u, T.ERROR, INT) == []
    assert unify(u, T.record([("a", INT)]), T.ERROR) == []


# -- records ----------------------------------------------------------------------------------------

def test_record_rules(u):
    # rule 5: different labels, open rows meet in a fresh tail
    r, s = u.fresh(), u.fresh()
    a = T.record([("a", INT)], r)
    b = T.record([("b", STRING)], s)
    assert unify(u, a, b) == []
    assert format_type(a) == "{A with a: int, b: string}"
    # rule 2: the same tail, different labels
    t = u.fresh()
    assert unify(u, T.record([("a", INT)], t), T.record([("b", INT)], t)) == [
        "expected {A with a: int} (record) but found {A with b: int} (record)"]


def test_record_missing_and_extra_labels(u):
    assert unify(u, T.record([("a", INT)]), T.EMPTY) == ["record is missing label a"]
    assert unify(u, T.EMPTY, T.record([("a", INT)])) == ["found unexpected label a"]


def test_record_same_tail_label_error_is_wrapped(u):
    t = u.fresh()
    assert unify(u, T.record([("a", INT)], t), T.record([("a", STRING)], t)) == [
        "expected int but found string for label a caused by expected int but found string"]


def test_duplicate_labels_are_kept():
    rec = T.record([("_value", FLOAT), ("_value", FLOAT)], T.Var(0))
    assert format_type(rec) == "{A with _value: float, _value: float}"


def test_unification_continues_after_an_error(u):
    a, b = u.fresh(), u.fresh()
    exp = T.record([("x", INT), ("y", a)])
    act = T.record([("x", STRING), ("y", b)])
    assert unify(u, exp, act) == ["expected int but found string"]
    assert T.prune(a) is T.prune(b)


# -- functions --------------------------------------------------------------------------------------

def test_missing_and_extra_arguments(u):
    errs = []
    u.unify_functions(fn(req={"a": INT, "b": INT}), fn(req={"a": INT, "c": INT}), errs)
    assert [e.message for e in errs] == ["found unexpected argument c (Expected `b`)",
                                         "missing required argument b"]
    errs.clear()
    u.unify_functions(fn(req={"b": INT, "a": INT}, opt={"c": INT, "d": INT}), fn(req={"x": INT}), errs)
    assert errs[0].message == "found unexpected argument x (Expected one of `a`, `b`, `c` or `d`)"


def test_argument_errors_carry_the_name(u):
    errs = []
    u.unify_functions(fn(req={"n": INT}), fn(req={"n": STRING}), errs)
    assert [e.message for e in errs] == ["expected int but found string (argument n)"]


def test_optional_arguments_may_be_omitted(u):
    errs = []
    u.unify_functions(fn(req={"a": INT}, opt={"b": STRING}), fn(req={"a": INT}), errs)
    assert errs == []
    u.unify_functions(fn(req={"a": INT}, opt={"b": STRING}), fn(req={"a": INT, "b": INT}), errs)
    assert [e.message for e in errs] == ["expected string but found int (argument b)"]


def test_pipe_rules(u):
    # a named pipe parameter is fed by an unnamed (|>) pipe argument
    errs = []
    u.unify_functions(fn(req={"n": INT}, pipe=("tables", T.Stream(INT))),
                      fn(req={"n": INT}, pipe=("<-", T.Stream(INT))), errs)
    assert errs == []
    # ... or by naming it
    u.unify_functions(fn(pipe=("tables", INT)), fn(req={"tables": INT}), errs)
    assert errs == []
    # an unnamed pipe parameter must be piped
    u.unify_functions(fn(pipe=("<-", INT)), fn(), errs)
    assert [e.message for e in errs] == ["missing pipe argument"]
    errs.clear()
    u.unify_functions(fn(), fn(pipe=("<-", INT)), errs)
    assert [e.message for e in errs] == ["missing pipe argument"]
    errs.clear()
    u.unify_functions(fn(pipe=("a", INT)), fn(pipe=("b", INT)), errs)
    assert [e.message for e in errs] == ["expected pipe argument a but found b"]


def test_return_type_errors(u):
    errs = []
    u.unify_functions(fn(ret=INT), fn(ret=STRING), errs)
    assert [e.message for e in errs] == [
        "expected int but found string for return type caused by expected int but found string"]


def test_arguments_unify_in_name_order(u):
    # libflux keeps parameters in a sorted map: `a` is unified before `b`
    x = u.fresh()
    errs = []
    u.unify_functions(fn(req={"a": INT, "b": STRING}), fn(req={"b": x, "a": x}), errs)
    assert T.prune(x) is INT
    assert [e.message for e in errs] == ["expected string but found int (argument b)"]


# -- schemes and printing ---------------------------------------------------------------------------

def test_generalize_and_instantiate(u):
    a = u.fresh()
    u.constrain(a, "Addable")
    s = generalize(T.Function({}, {"x": (a, None)}, None, a), {})
    assert str(s) == "(?x: A) => A where A: Addable"
    one, two = instantiate(s, u), instantiate(s, u)
    assert unify(u, one.ret, INT) == []
    assert unify(u, two.ret, STRING) == []
    assert unify(u, instantiate(s, u).ret, BOOL) == ["bool is not Addable"]


def test_environment_variables_are_not_generalized(u):
    a, b = u.fresh(), u.fresh()
    s = generalize(T.Function({"x": a}, {}, None, b), {b.id: b})
    assert len(s.vars) == 1
    inst = instantiate(s, u)
    assert T.prune(inst.ret) is b


@pytest.mark.parametrize("t,text", [
    (T.Dict_(STRING, INT), "[string: int]"),
    (T.Stream(T.Var(7)), "stream[A]"),
    (T.Collection("vector", INT), "vector[int]"),
    (T.EMPTY, "{}"),
    (T.record([("a", INT), ("b", STRING)], T.Var(3)), "{A with a: int, b: string}"),
    (T.Function({"b": T.Var(1), "a": T.Var(2)}, {"c": (T.Var(1), None)}, ("tables", T.Var(3)), T.Var(2)),
     "(<-tables: A, a: B, b: C, ?c: C) => B"),
    (T.Function({}, {}, ("<-", INT), INT), "(<-: int) => int"),
])
def test_printer(t, text):
    assert format_type(t) == text


def test_printer_shares_names_between_types():
    a = T.Var(10)
    names = {}
    assert format_type(T.Array(a), names) == "[A]"
    assert format_type(T.record([("x", T.Var(11)), ("y", a)]), names) == "{x: B, y: A}"


def test_equivalence_up_to_renaming_and_order():
    a, b = T.Var(1), T.Var(2)
    r1 = T.record([("x", a), ("y", b)], T.Var(3))
    r2 = T.record([("y", T.Var(5)), ("x", T.Var(4))], T.Var(6))
    assert T.equivalent(r1, r2)
    assert not T.equivalent(T.record([("x", a), ("y", a)]), T.record([("x", a), ("y", b)]))


@pytest.mark.parametrize("t,name", [
    (INT, "int"), (T.BASICS["uint"], "uint"), (TIME, "time"), (DURATION, "duration"),
    (REGEXP, "any"), (BYTES, "any"), (T.Array(INT), "any"), (T.Var(0), "any"),
    (T.record([("a", INT)]), "any"),
])
def test_cloud_names(t, name):
    assert T.cloud_name(t) == name


def test_labels_unify_only_with_themselves(u):
    # libflux v0.193 (the oracle's) does not read a label as a string
    assert unify(u, T.Label("a"), T.Label("a")) == []
    assert unify(u, T.Label("a"), STRING) == ["expected .a but found string"]
    v = u.fresh()
    assert unify(u, v, T.Label("a")) == []
    assert format_type(v) == ".a"


def test_message_layout_matches_libflux():
    # error messages list record fields in descending label order, and spread records or
    # parameter lists of more than four entries over lines
    err = UnificationError("kind", actual=T.record([("a", INT), ("b", FLOAT)]), kind="Stringable")
    assert err.message == "{b: float, a: int} (record) is not Stringable"
    wide = T.record([(f"f{i}", INT) for i in range(5)], T.Var(1))
    err = UnificationError("unify", T.Array(T.Var(0)), wide)
    assert err.message == ("expected [A] (array) but found {\n    B with\n    f4: int,\n    f3: int,\n"
                           "    f2: int,\n    f1: int,\n    f0: int,\n} (record)")


# -- wide records: the direct path agrees with libflux's walk ------------------------------------

def _random_rows(seed: int, u: Unifier):
    """Two records built from ``seed`` with ``u``'s variables: labels from one pool in random
    orders, open or closed tails, field types that agree, disagree or are variables."""
    import random

    rnd = random.Random(seed)
    pool = [f"l{i}" for i in range(rnd.randint(1, 24))]
    shared = [u.fresh() for _ in range(3)]

    def field_type():
        pick = rnd.random()
        if pick < 0.3:
            return rnd.choice([INT, STRING, BOOL])
        if pick < 0.5:
            return rnd.choice(shared)
        if pick < 0.7:
            return u.fresh()
        if pick < 0.85:
            return T.record([(rnd.choice(pool), rnd.choice([INT, STRING]))])
        return T.Array(rnd.choice([INT, u.fresh()]))

    def side(labels):
        fields = [(label, field_type()) for label in labels]
        tail = u.fresh() if rnd.random() < 0.6 else T.EMPTY
        return T.record(fields, tail)

    exp_labels = rnd.sample(pool, rnd.randint(0, len(pool)))
    if rnd.random() < 0.5:
        act_labels = rnd.sample(exp_labels, len(exp_labels))  # the same labels, another order
    else:
        act_labels = rnd.sample(pool, rnd.randint(0, len(pool)))
    return side(exp_labels), side(act_labels), shared


@pytest.mark.parametrize("seed", range(400))
def test_wide_record_direct_path_matches_libflux_walk(seed):
    outcomes = []
    for direct_from in (0, 10 ** 9):  # always the direct path where it applies / never
        u = Unifier()
        u.rows_direct_from = direct_from
        exp, act, shared = _random_rows(seed, u)
        errs = []
        u.unify(exp, act, errs)
        names = {}
        texts = [format_type(t, names) for t in (exp, act, *shared)]
        outcomes.append(([e.message for e in errs], texts))
    assert outcomes[0] == outcomes[1]
