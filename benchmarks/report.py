"""The report: a table for people and a flat list of figures for machines."""

from __future__ import annotations


def _verdict(passed) -> str:
    return "-" if passed is None else "PASS" if passed else "MISS"


def _table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]
    line = lambda cells: "  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)  # noqa: E731
                                   for i, (c, w) in enumerate(zip(cells, widths, strict=True)))
    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def _errors(page: dict) -> str:
    if not page["errors"]:
        return "0"
    kinds = ", ".join(f"{count} {status}" for status, count in page["statuses"].items() if status != "200")
    return f"{page['errors']} ({kinds})"


def _x(ratio) -> str:
    return "" if ratio is None else f" (x{ratio:.2f})"


def report(pages: list[dict], operations: list[dict], profiles: dict) -> str:
    out = []
    if pages:
        out.append("Pages (ratios to /healthz/ in this run)")
        out.append(_table(
            ["page", "req/s", "p50", "p95", "requests", "errors", "1st request", "worker peak", "target", "result"],
            [[f"{p['name']} {p['path']}", f"{p['rps']:.1f}{_x(p['rps_ratio'])}",
              f"{p['p50_ms']} ms{_x(p['p50_ratio'])}", f"{p['p95_ms']} ms{_x(p['p95_ratio'])}",
              str(p["requests"]), _errors(p), f"{p['first_request_ms']} ms",
              f"{p['peak_worker_rss_mib']} MiB", "baseline" if p["target"] == "baseline" else "p95 <= 3x",
              _verdict(p["pass"])] for p in pages]))
        out.append("(1st request: the first request to a fresh server, alone; the rest ran with "
                   "BENCH_CONCURRENCY clients at once)")
    if operations:
        out.append("")
        out.append("Operations (each in its own process; peak = that process's max RSS)")
        rows = []
        for o in operations:
            target = f"< {o['target_seconds']:g} s" if o["target_seconds"] else "-"
            if "error" in o:
                rows.append([o["label"], "ERROR", "", "", f"{o.get('peak_rss_mib')} MiB", target, "MISS"])
                continue
            throughput = f"{o['rows_per_second']:,.0f} rows/s ({o['rows']:,} rows)" if o.get("rows") else ""
            detail = f"{o['pages']} pages" if o.get("pages") else ""
            if o.get("repeat_median_seconds") is not None:
                detail += f", repeat {o['repeat_median_seconds']:.2f} s"
            rows.append([o["label"], f"{o['seconds']:.2f} s", throughput, detail,
                         f"{o['peak_rss_mib']} MiB", target, _verdict(o["pass"])])
        out.append(_table(["operation", "time", "throughput", "detail", "peak memory", "target", "result"], rows))
    for name, profile in profiles.items():
        out.append("")
        if "error" in profile:
            out.append(f"Profile of {name}: could not profile ({profile['error'].strip().splitlines()[-1]})")
            continue
        out.append(f"Profile of {name} (cProfile, {profile['seconds_under_profiler']:.2f} s under the profiler; "
                   f"full listing {profile['file']})")
        for title, key in (("top 10 of the project's functions by cumulative time", "by_cumulative_project"),
                           ("top 10 of all functions by own time", "by_own")):
            out.append(f"  {title}:")
            out.append(_table(["function", "calls", "own s", "cumulative s"],
                              [[f["function"], str(f["calls"]), f"{f['own_s']:.3f}", f"{f['cumulative_s']:.3f}"]
                               for f in profile[key]]))
    return "\n".join(out)


def figures(pages: list[dict], operations: list[dict]) -> list[dict]:
    """A flat list of every figure with its unit, ratio, target and verdict (for machines)."""
    flat = []
    for p in pages:
        for metric, unit, ratio in (("rps", "requests/s", "rps_ratio"), ("p50_ms", "ms", "p50_ratio"),
                                    ("p95_ms", "ms", "p95_ratio"), ("errors", "responses", None),
                                    ("peak_worker_rss_mib", "MiB", None)):
            flat.append({"figure": f"page {p['name']} {metric}", "path": p["path"], "value": p[metric],
                         "unit": unit, "ratio_to_healthz": p[ratio] if ratio else None,
                         "target": ("p95 <= 3x /healthz/" if metric == "p95_ms" and p["target"] != "baseline"
                                    else None),
                         "pass": p["pass"] if metric in ("p95_ms", "errors") else None})
    for o in operations:
        target = o["target_seconds"]
        flat.append({"figure": f"{o['name']} seconds", "value": o.get("seconds"), "unit": "s",
                     "target": f"< {target:g} s" if target else None, "pass": o["pass"]})
        if o.get("rows_per_second"):
            flat.append({"figure": f"{o['name']} throughput", "value": round(o["rows_per_second"], 1),
                         "unit": "rows/s", "target": None, "pass": None})
        flat.append({"figure": f"{o['name']} peak memory", "value": o.get("peak_rss_mib"), "unit": "MiB",
                     "target": None, "pass": None})
    return flat
