"""The alert rules of deploy/prometheus/alerts.yml, and the series each one selects: for the
tests that check every rule has a series to watch (tests/ops/test_metrics.py, and on a
fresh gunicorn tests/served/test_observability.py)."""

import re

import promql_parser
import yaml

from tests.support.daemons import BASE_DIR

PATH = BASE_DIR / "deploy" / "prometheus" / "alerts.yml"


def rules():
    [group] = yaml.safe_load(PATH.read_text())["groups"]
    return group["rules"]


def selectors(expr):
    """``(metric name, [(label, op, value)])`` of each vector selector in a PromQL expression."""
    found = []

    def visit(node):
        if isinstance(node, promql_parser.VectorSelector):
            matchers = [(m.name, str(m.op), m.value) for m in node.matchers.matchers]
            found.append((node.name, matchers))
            return
        for attribute in ("lhs", "rhs", "expr", "vector_selector", "param"):
            if (child := getattr(node, attribute, None)) is not None:
                visit(child)
        for child in getattr(node, "args", None) or ():
            visit(child)

    visit(promql_parser.parse(expr))
    return found


def selects(samples, name, matchers):
    """Whether any of ``samples`` (prometheus_client samples) is one the selector picks."""
    return any(
        sample.name == name and all(_matches(sample.labels.get(label, ""), op, value)
                                    for label, op, value in matchers)
        for sample in samples
    )  # fmt: skip


def _matches(actual, op, value):
    if op.endswith("Equal"):
        return (actual == value) == (op == "MatchOp.Equal")
    matched = re.fullmatch(value, actual) is not None
    return matched == (op == "MatchOp.Re")
