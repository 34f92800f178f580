"""The comparison rules of the compat runner, on hand-made result trees."""

from __future__ import annotations

from tests.compat.runner import compare, differs, explain, show


def exc(kind, message):
    return ["exc", kind, message, [["str", message]]]


def test_equal_trees_match():
    tree = ["tuple", [["bytes", "a 1.0\n"], ["float", "nan"], ["dict", [[["str", "k"], ["int", 1]]]]]]
    assert differs(tree, tree) is None


def test_int_and_float_differ():
    assert differs(["int", 1], ["float", "1.0"]) is not None


def test_bytes_must_be_equal():
    assert differs(["bytes", "a 1.0\n"], ["bytes", "a 1\n"]) is not None


def test_our_message_may_add_detail_after_the_official_one():
    official = exc("builtins.ValueError", "Invalid metric name: 1a")
    assert differs(official, exc("builtins.ValueError", "Invalid metric name: 1a (starts with a digit)")) is None
    assert differs(official, exc("builtins.ValueError", "Bad metric name: 1a")) is not None


def test_exception_type_must_be_equal():
    assert differs(exc("builtins.ValueError", "x"), exc("builtins.TypeError", "x")) is not None


def test_nested_exception_from_catch():
    official = ["tuple", [["int", 1], exc("builtins.KeyError", "'a'")]]
    ours = ["tuple", [["int", 1], exc("builtins.KeyError", "'a' (detail)")]]
    assert differs(official, ours) is None


def test_value_versus_exception_differs():
    assert differs(["raised", exc("builtins.ValueError", "x")], ["None"]) is not None


def test_list_lengths_must_match():
    assert differs(["list", [["int", 1]]], ["list", [["int", 1], ["int", 2]]]) is not None


def test_warnings_compared_by_category_and_prefix():
    official = {"r": ["None"], "w": [["builtins.UserWarning", "careful"]]}
    assert compare(official, {"r": ["None"], "w": [["builtins.UserWarning", "careful: more"]]}) is None
    assert compare(official, {"r": ["None"], "w": []}) is not None


def test_explain_shows_code_both_results_and_a_diff():
    theirs = {"r": ["bytes", "a 1.0\nb 2.0\n"], "w": []}
    ours = {"r": ["bytes", "a 1.0\nb 3.0\n"], "w": []}
    text = explain("x.y", "text(r)", theirs, ours, differs(theirs["r"], ours["r"]))
    assert "x.y" in text and "text(r)" in text and "-b 2.0" in text and "+b 3.0" in text
    assert show(["bytes", "a"]) == "b'a'"


def test_several_arguments_message_prefix_in_first_argument():
    metric = ["metric", "Metric", ["str", "g"]]
    official = ["exc", "builtins.ValueError", "('bad', Metric(g))", [["str", "bad"], metric]]
    ours = ["exc", "builtins.ValueError", "('bad (sample g)', Metric(g))", [["str", "bad (sample g)"], metric]]
    assert differs(official, ours) is None
    other = ["exc", "builtins.ValueError", "('bad', Metric(h))", [["str", "bad"], ["metric", "Metric", ["str", "h"]]]]
    assert differs(official, other) is not None
