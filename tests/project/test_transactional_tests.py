"""Every transactional test restores what the migrations wrote (`serialized_rollback=True`).

A transactional test ends with a flush; without serialized rollback the flush's post_migrate
signal makes the content types again, and the next serialized test's restore then meets them
twice (PostgreSQL: duplicate keys at the next test's set-up, far from the test that caused it).
This reads every test module and refuses a `django_db(transaction=True)` mark without
`serialized_rollback=True`, the `transactional_db` fixture, the `live_server` fixture in a folder
with no such mark (the browser tests share theirs from tests/browser/common.py), and a
TransactionTestCase without `serialized_rollback = True`."""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def _keywords(call: ast.Call) -> dict:
    return {keyword.arg: keyword.value for keyword in call.keywords}


def _true(node) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def _problems(path: Path, serialized_folders: set | None = None) -> list[str]:
    """What is wrong in `path`; `serialized_folders` collects the folders with a serialized mark."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    problems, live = [], []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "django_db":
            given = _keywords(node)
            if _true(given.get("transaction")):
                if _true(given.get("serialized_rollback")):
                    if serialized_folders is not None:
                        serialized_folders.add(path.parent)
                else:
                    problems.append(f"{path.name}:{node.lineno}: django_db(transaction=True) without serialized_rollback=True")
        if isinstance(node, ast.ClassDef) and any(getattr(base, "id", getattr(base, "attr", "")) in
                                                  ("TransactionTestCase", "LiveServerTestCase") for base in node.bases):
            assigned = {target.id: statement.value for statement in node.body if isinstance(statement, ast.Assign)
                        for target in statement.targets if isinstance(target, ast.Name)}
            if not _true(assigned.get("serialized_rollback")):
                problems.append(f"{path.name}:{node.lineno}: {node.name} without serialized_rollback = True")
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names = {argument.arg for argument in node.args.args}
            if "transactional_db" in names:
                problems.append(f"{path.name}:{node.lineno}: {node.name} uses transactional_db")
            if "live_server" in names:
                live.append(f"{path.name}:{node.lineno}: {node.name} uses live_server in a folder without a "
                            "django_db(transaction=True, serialized_rollback=True) mark")
    return problems + [f"{path.parent}|{problem}" for problem in live]


def test_every_transactional_test_rolls_back_by_serialisation():
    modules = sorted(TESTS.rglob("*.py"))
    assert len(modules) > 100  # the scan found the suite
    serialized: set = set()
    found = [problem for path in modules for problem in _problems(path, serialized)]
    problems = [problem.split("|", 1)[-1] for problem in found
                if "|" not in problem or Path(problem.split("|", 1)[0]) not in serialized]
    assert problems == []
    assert TESTS / "browser" in serialized


def test_the_scan_finds_a_plain_transactional_mark(tmp_path):
    bad = tmp_path / "test_bad.py"
    bad.write_text("import pytest\n\n@pytest.mark.django_db(transaction=True)\ndef test_x(live_server):\n    pass\n"
                   "\n\nclass Case(TransactionTestCase):\n    pass\n", encoding="utf-8")
    found = _problems(bad)
    assert len(found) == 3, found
