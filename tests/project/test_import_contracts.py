"""The allowed imports (pyproject.toml, [tool.importlinter]) hold and are really checked.

`make lint` runs `lint-imports`; this runs it in the suite too, so a forbidden import fails CI
even where only the tests are run.
"""

import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
CONTRACTS = ("The kernel imports no domain app", "Domain apps import no other domain app",
             "The agreements app's two domains import not each other")


def test_the_kernel_and_the_domain_apps_keep_their_import_contracts():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint_imports), "--no-cache"], cwd=BASE_DIR, capture_output=True, text=True,
                            timeout=120)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    kept = [line for line in output.splitlines() if " KEPT" in line]
    for contract in CONTRACTS:
        assert any(line.startswith(contract) for line in kept), output
