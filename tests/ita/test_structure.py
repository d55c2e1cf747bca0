"""ITA's layout says what it is (issue 14): one subpackage per sub-domain (results with their
import and export, the analysis report, improvement measures, the OIT checklist), no module told apart by a prefix,
and no module a newcomer has to read 900 lines of."""

import ast
import importlib
from pathlib import Path

import pytest

import ita

ITA = Path(ita.__file__).parent
MAX_LINES = 450
SUBDOMAINS = ("results", "analysis", "measures", "oit")
PREFIXES = ("measure_", "result_", "analysis_", "views_")
# What the app's URLs name, by the subpackage whose views serve them (names unchanged by the move).
ROUTES = {"results": {"list", "export", "export_all", "history", "import", "result_edit"},
          "analysis": {"result", "analysis_pdf", "guidance", "recommendations"},
          "measures": {"measures", "measure_add", "measure_edit", "measure_delete", "measure_progress",
                       "measure_evidence"},
          "oit": {"oit", "oit_answer", "oit_confirm", "oit_export"}}


def modules(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if "migrations" not in p.parts)


def long_modules(root: Path) -> list[str]:
    return [f"{p.relative_to(root)}: {n}" for p in modules(root)
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES]


def prefixed_modules(root: Path) -> list[str]:
    return [str(p.relative_to(root)) for p in modules(root) if p.name.startswith(PREFIXES)]


def test_no_ita_module_is_over_450_lines():
    assert long_modules(ITA) == []


def test_no_module_is_told_apart_by_a_prefix():
    assert prefixed_modules(ITA) == []


@pytest.mark.parametrize("subdomain", SUBDOMAINS)
def test_each_subdomain_is_a_package_with_its_views(subdomain):
    views = importlib.import_module(f"ita.{subdomain}.views")
    assert views.__file__.startswith(str(ITA / subdomain))


def test_the_urls_keep_their_names_and_each_is_served_by_its_subdomain():
    from django.urls import get_resolver

    patterns = get_resolver().namespace_dict["ita"][1].url_patterns
    served = {p.name: p.callback.__module__ for p in patterns}
    assert set(served) == set().union(*ROUTES.values())
    for subdomain, names in ROUTES.items():
        assert {served[name] for name in names} == {f"ita.{subdomain}.views"}


def test_the_exchange_is_a_package_of_its_steps():
    exchange = ITA / "results" / "exchange"
    steps = {p.stem for p in exchange.glob("*.py")}
    assert {"cells", "layout", "parsing", "writing", "importing", "export"} <= steps
    # No function of the parser does the whole job any more: each stays short.
    tree = ast.parse((exchange / "parsing.py").read_text(encoding="utf-8"))
    lengths = {node.name: node.end_lineno - node.lineno + 1 for node in ast.walk(tree)
               if isinstance(node, ast.FunctionDef)}
    assert max(lengths.values()) <= 40, lengths
