"""A button that cannot be undone asks on the server (templates/_confirm.html in its form,
saving.run_action(confirm=…) in its view), never with a JavaScript confirm(): that works without
JavaScript, says what goes, and a POST without the box ticked changes nothing."""

import re
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR).resolve()
SKIPPED = {".venv", "node_modules", "media", "staticfiles", "artifacts", "__pycache__", ".git"}
SCRIPT_CONFIRM = re.compile(r"""onsubmit\s*=\s*["']\s*return\s+confirm|\bconfirm\s*\(""")


def templates() -> list[Path]:
    found = []
    for path in BASE_DIR.rglob("*.html"):
        if not SKIPPED.intersection(path.relative_to(BASE_DIR).parts):
            found.append(path)
    return found


def test_the_walk_finds_the_templates():
    names = {path.relative_to(BASE_DIR).as_posix() for path in templates()}
    assert {"templates/_confirm.html", "ita/templates/ita/measures/list.html",
            "agreements/templates/agreements/performance/detail.html"} <= names


def test_no_template_asks_with_a_javascript_confirm():
    offenders = []
    for path in templates():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if SCRIPT_CONFIRM.search(line):
                offenders.append(f"{path.relative_to(BASE_DIR)}:{number}: {line.strip()[:120]}")
    assert not offenders, ("Ask on the server instead: {% include \"_confirm.html\" %} inside the form and "
                           "saving.run_action(..., confirm={kind: question}) in the view.\n" + "\n".join(offenders))


def test_the_pattern_catches_the_old_buttons():
    assert SCRIPT_CONFIRM.search("""<form onsubmit="return confirm('ลบ?')">""")
    assert SCRIPT_CONFIRM.search("""<form onsubmit='return  confirm("x")'>""")
    assert not SCRIPT_CONFIRM.search("""{% include "_confirm.html" with kind="delete" text=question %}""")
