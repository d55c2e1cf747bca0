"""The agreements app holds two domains that share nothing but the app label: the organisation
agreement's annex (`agreements.organisation`) and unit/individual agreements
(`agreements.performance`). Neither imports the other, and neither imports another domain app
(models of other apps are reached through relations or by their "app.Model" label)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "agreements"
OTHER_DOMAIN_APPS = ("plans", "ita")
DOMAINS = ("organisation", "performance")


def _imports(path: Path) -> set[str]:
    """Absolute names of the modules `path` imports, relative imports resolved."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    package = parts if parts[-1] == "__init__" else parts[:-1]
    package = [p for p in package if p != "__init__"]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *(node.module.split(".") if node.module else [])])
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def _modules(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "migrations" not in p.parts)


def _refers_to(name: str, module: str) -> bool:
    return name == module or name.startswith(module + ".")


@pytest.mark.parametrize("path", _modules(APP), ids=lambda p: str(p.relative_to(ROOT)))
def test_agreements_imports_no_other_domain_app(path):
    wrong = sorted(n for n in _imports(path) if any(_refers_to(n, app) for app in OTHER_DOMAIN_APPS))
    assert not wrong, f"{path.relative_to(ROOT)} imports {wrong}"


@pytest.mark.parametrize("domain", DOMAINS)
def test_each_agreement_domain_imports_not_the_other(domain):
    (other,) = [d for d in DOMAINS if d != domain]
    modules = _modules(APP / domain)
    assert modules, f"agreements/{domain}/ has no modules"
    wrong = {str(p.relative_to(ROOT)): sorted(n for n in _imports(p) if _refers_to(n, f"agreements.{other}"))
             for p in modules}
    assert not {path: names for path, names in wrong.items() if names}
