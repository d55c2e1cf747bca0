"""Operations, each in a child process of its own (benchmarks/ops.py), and the profiles of
whatever missed its target."""

from __future__ import annotations

from pathlib import Path

from . import ops
from .config import ANNOUNCEMENT, BASE_DIR, BENCH_USERNAME, PLAN_BOOK, TARGETS, Config, say


def measure_operations(config: Config, work: Path) -> list[dict]:
    user = BENCH_USERNAME
    ita_file = work / f"ita-{config.year}.csv"
    plan = {**config.plan_import, "rows": config.plan_rows, "username": user}
    planned = []
    if "pdf" in config.only:
        planned += [
            ("announcement_pdf", "announcement_pdf", {**ANNOUNCEMENT, "repeat": 2},
             "one-page announcement PDF (fresh render)"),
            ("plan_book_pdf", "plan_book_pdf", {**PLAN_BOOK, "repeat": 1}, "plan book PDF (fresh render)"),
        ]
    if "export" in config.only or "import" in config.only:
        planned.append(("ita_export_csv", "ita_export",
                        {"fiscal_year": config.year, "fmt": "csv", "username": user, "save_to": str(ita_file)},
                        f"ITA export, all organisations {config.year}, csv"))
    if "export" in config.only:
        planned.append(("ita_export_xlsx", "ita_export", {"fiscal_year": config.year, "fmt": "xlsx", "username": user},
                        f"ITA export, all organisations {config.year}, xlsx"))
    if "import" in config.only:
        planned += [
            ("ita_import", "ita_import", {"path": str(ita_file), "username": user},
             f"national ITA import ({config.year} csv)"),
            ("plan_import", "plan_import", plan, f"plan import, {config.plan_rows} projects (csv, rolled back)"),
        ]
    rows = []
    for key, operation, kwargs, label in planned:
        say(f"  {label} ...")
        if operation == "ita_import" and not ita_file.exists():
            result = {"error": "no export file to import (the csv export failed)"}
        else:
            result = ops.run_in_child(operation, kwargs, env=config.env)
        row = {"name": key, "label": label, "operation": operation, "kwargs": kwargs, **result}
        target = TARGETS.get(key)
        row["target_seconds"] = target
        if "error" in row:
            row["pass"] = False if target else None
            say(f"    ERROR: {row['error'].strip().splitlines()[-1]}")
        else:
            row["pass"] = None if target is None else row["seconds"] <= target
            say(f"    {_operation_figure(row)}, peak {row['peak_rss_mib']} MiB")
        rows.append(row)
    return rows


def _operation_figure(row: dict) -> str:
    parts = [f"{row['seconds']:.2f} s"]
    if row.get("repeat_median_seconds") is not None:
        parts.append(f"repeat {row['repeat_median_seconds']:.2f} s")
    if row.get("rows_per_second"):
        parts.append(f"{row['rows']:,} rows, {row['rows_per_second']:,.0f} rows/s")
    if row.get("pages"):
        parts.append(f"{row['pages']} pages")
    return ", ".join(parts)


def profile_misses(config: Config, pages: list[dict], operations: list[dict], folder: Path) -> dict:
    profiles = {}
    # A page is profiled rendered afresh (what makes it slow is its render), once even if it missed in both modes.
    jobs = [(f"page {p['name']}", "page",
             {"path": p["path"], "username": BENCH_USERNAME, "repeat": 1,
              # A page that takes many seconds is not worth rendering twice to warm up.
              "warmup_path": p["path"] if (p["first_request_ms"] or 0) < 5000 else "/healthz/"})
            for p in pages if p["pass"] is False and p["name"] != "healthz"]
    jobs = list({name: (name, operation, kwargs) for name, operation, kwargs in jobs}.values())
    jobs += [(o["name"], o["operation"], o["kwargs"]) for o in operations if o["pass"] is False and "error" not in o]
    for name, operation, kwargs in jobs:
        say(f"  profiling {name} ...")
        kwargs = {**kwargs}
        if operation in ("announcement_pdf", "plan_book_pdf"):
            kwargs["repeat"] = 0
        if operation == "ita_export":
            kwargs.pop("save_to", None)
        env = {**config.env, "DJANGO_PAGE_CACHE": "0"} if operation == "page" else config.env
        result = ops.run_in_child(operation, kwargs, env=env, profile=True)
        if "error" in result:
            profiles[name] = {"error": result["error"]}
            continue
        profile = result.pop("profile")
        path = folder / (name.replace(" ", "-").lower() + ".txt")
        path.write_text(profile.pop("text"), encoding="utf-8")
        profiles[name] = {"seconds_under_profiler": result["seconds"], "file": _shown(path),
                          **profile}
    return profiles


def _shown(path: Path) -> str:
    """A path relative to the project when it is inside it."""
    try:
        return str(path.relative_to(BASE_DIR))
    except ValueError:
        return str(path)
