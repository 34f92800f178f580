"""labels(): by position and keyword, str() of values, remove/remove_by_labels/clear, child identity."""

from __future__ import annotations

from typing import Dict

from tests.compat.scenarios import add

SCENARIOS: Dict[str, str] = {}

TYPES = {
    "counter": ("Counter", "inc()", ""),
    "gauge": ("Gauge", "set(1)", ""),
    "summary": ("Summary", "observe(1)", ""),
    "histogram": ("Histogram", "observe(1)", ", buckets=(1, 2)"),
    "info": ("Info", "info({'k': 'v'})", ""),
    "enum": ("Enum", "state('a')", ", states=['a', 'b']"),
}
# str() conversion of label values: what the exposition shows for each.
VALUES = {
    "none": "None",
    "int": "5",
    "float": "2.5",
    "bool": "True",
    "str_enum": "Color.RED",
    "plain_enum": "Plain.ONE",
    "unicode": "'h\\u00e9llo \\u2603'",
    "escapes": "'a\"b\\\\c\\nd'",
    "empty": "''",
}
ENUMS = """
import enum
class Color(str, enum.Enum):
    RED = 'red'
class Plain(enum.Enum):
    ONE = 1
"""

for kind, (cls, update, extra) in TYPES.items():
    add(SCENARIOS, f"{kind}.positional_and_keyword_same_child", f"""
        r = CollectorRegistry(); m = {cls}('m', 'h', ['a', 'b'], registry=r{extra})
        x = m.labels('1', '2'); y = m.labels(a='1', b='2'); z = m.labels(b='2', a='1')
        x is y, y is z, m.labels(1, 2) is x
    """)
    add(SCENARIOS, f"{kind}.remove", f"""
        r = CollectorRegistry(); m = {cls}('m', 'h', ['a', 'b'], registry=r{extra})
        m.labels('1', '2').{update}; m.labels('3', '4').{update}
        m.remove('1', '2')
        a = text(r)
        e1 = catch(m.remove, '9', '9')
        e2 = catch(m.remove, '1')
        a, e1, e2, list(m._metrics)
    """)
    add(SCENARIOS, f"{kind}.remove_by_labels", f"""
        r = CollectorRegistry(); m = {cls}('m', 'h', ['a', 'b'], registry=r{extra})
        m.labels('1', '2').{update}; m.labels('1', '3').{update}; m.labels('2', '3').{update}
        catch(m.remove_by_labels, {{'a': '1'}}), list(m._metrics)
    """)
    add(SCENARIOS, f"{kind}.remove_by_labels_unknown_name", f"""
        r = CollectorRegistry(); m = {cls}('m', 'h', ['a', 'b'], registry=r{extra})
        m.labels('1', '2').{update}
        catch(m.remove_by_labels, {{'zzz': '1'}}), list(m._metrics)
    """)
    add(SCENARIOS, f"{kind}.clear", f"""
        r = CollectorRegistry(); m = {cls}('m', 'h', ['a'], registry=r{extra})
        m.labels('1').{update}; m.clear()
        text(r), list(m._metrics)
    """)
    add(SCENARIOS, f"{kind}.unlabelled_remove_clear", f"""
        r = CollectorRegistry(); m = {cls}('m', 'h', registry=r{extra})
        m.{update}
        catch(m.remove), catch(m.remove_by_labels, {{}}), catch(m.clear), text(r)
    """)
    add(SCENARIOS, f"{kind}.labels_on_unlabelled", f"""
        r = CollectorRegistry(); m = {cls}('m', 'h', registry=r{extra})
        catch(m.labels, 'x'), catch(m.labels, a='x')
    """)
    add(SCENARIOS, f"{kind}.labels_errors", f"""
        r = CollectorRegistry(); m = {cls}('m', 'h', ['a', 'b'], registry=r{extra})
        (catch(m.labels), catch(m.labels, '1'), catch(m.labels, '1', '2', '3'), catch(m.labels, '1', b='2'),
         catch(m.labels, a='1'), catch(m.labels, a='1', c='2'), catch(m.labels, a='1', b='2', c='3'))
    """)
    add(SCENARIOS, f"{kind}.update_parent_with_labels", f"""
        r = CollectorRegistry(); m = {cls}('m', 'h', ['a'], registry=r{extra})
        catch(lambda: m.{update})
    """)
    add(SCENARIOS, f"{kind}.child_labels_again", f"""
        r = CollectorRegistry(); m = {cls}('m', 'h', ['a'], registry=r{extra})
        catch(lambda: m.labels('x').labels('y'))
    """)
    add(SCENARIOS, f"{kind}.child_repr", f"""
        r = CollectorRegistry(); m = {cls}('m', 'h', ['a'], registry=r{extra})
        repr(m.labels('x'))
    """)

for value_id, expr in VALUES.items():
    for fmt in ("text", "om"):
        add(SCENARIOS, f"value_str.{value_id}.{fmt}", ENUMS + f"""
r = CollectorRegistry(); c = Counter('c', 'h', ['l'], registry=r)
c.labels({expr}).inc()
c.labels(l={expr}).inc()
list(c._metrics), {fmt}(r)
""")

add(SCENARIOS, "value_str.remove_with_converted", ENUMS + """
r = CollectorRegistry(); c = Counter('c', 'h', ['l'], registry=r)
c.labels(None).inc(); c.labels(5).inc()
c.remove(None); c.remove('5')
list(c._metrics)
""")
add(SCENARIOS, "labelnames.tuple_and_generator", """
r = CollectorRegistry()
a = Counter('a', 'h', ('x', 'y'), registry=r)
b = Counter('b', 'h', (n for n in ['x']), registry=r)
a._labelnames, b._labelnames, text(r)
""")
add(SCENARIOS, "labelnames.string_is_iterable", """
r = CollectorRegistry()
catch(Counter, 'a', 'h', 'xy', registry=r)
""")
add(SCENARIOS, "labelnames.order_kept", """
r = CollectorRegistry(); c = Counter('c', 'h', ['z', 'a', 'm'], registry=r)
c.labels(a='1', m='2', z='3').inc()
text(r)
""")
add(SCENARIOS, "labels.many_children_order", """
r = CollectorRegistry(); g = Gauge('g', 'h', ['l'], registry=r)
for v in ['b', 'a', 'c', '10', '9']:
    g.labels(v).set(len(v))
text(r)
""")
add(SCENARIOS, "labels.utf8_label_name", """
r = CollectorRegistry()
catch(lambda: (Counter('c', 'h', ['my.label'], registry=r).labels('x').inc(), text(r))[1])
""")
add(SCENARIOS, "labels.utf8_label_name_om", """
r = CollectorRegistry()
catch(lambda: (Counter('c', 'h', ['my.label'], registry=r).labels('x').inc(), om(r))[1])
""")
