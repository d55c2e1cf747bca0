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


def report(pages: list[dict], operations: list[dict], profiles: dict, mixed: dict | None = None) -> str:
    out = []
    if pages:
        out.append("Pages (ratios to /healthz/ in this run)")
        out.append(_table(
            ["page", "mode", "req/s", "p50", "p95", "requests", "errors", "1st request", "worker peak", "target",
             "result"],
            [[f"{p['name']} {p['path']}", p.get("mode", "kept"), f"{p['rps']:.1f}{_x(p['rps_ratio'])}",
              f"{p['p50_ms']} ms{_x(p['p50_ratio'])}", f"{p['p95_ms']} ms{_x(p['p95_ratio'])}",
              str(p["requests"]), _errors(p), f"{p['first_request_ms']} ms",
              f"{p['peak_worker_rss_mib']} MiB",
              "baseline" if p["target"] == "baseline" else p["target"].split(" /")[0],
              _verdict(p["pass"])] for p in pages]))
        out.append("(mode fresh: kept pages off, every request rendered; kept: kept pages on. 1st request: the "
                   "first request to a fresh server, alone; the rest ran with BENCH_CONCURRENCY clients at once)")
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
    if mixed:
        out += ["", *_mixed(mixed)]
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


def _ms(figures: dict, key: str) -> str:
    ratio = figures.get(key.replace("_ms", "_ratio"))
    return "-" if figures[key] is None else f"{figures[key]} ms{_x(ratio)}"


def _mixed(mixed: dict) -> list[str]:
    if "error" in mixed:
        return [f"Mixed run: could not run ({mixed['error']})"]
    out = [f"Mixed run: {mixed['users']} staff members of {mixed['organisations']} organisations; per 100 actions "
           f"reads {mixed['read_weights']}, writes {mixed['write_weights']} (a write: GET the form, POST it, 302); "
           "ratios to /healthz/ at the same concurrency in the same server"]
    rows = []
    for c in mixed["configurations"]:
        o, r, w = c["overall"], c["reads"], c["writes"]
        errors = f"{o['errors']}" + (f" ({', '.join(f'{n} {s}' for s, n in c['statuses'].items() if s not in ('200', '302'))})"
                                     if o["errors"] else "")
        rows.append([c["name"] + (" *" if c["sql_stats"] else ""), f"{o['rps']:.1f}", _ms(o, "p50_ms"),
                     _ms(o, "p95_ms"), _ms(r, "p95_ms"), f"{w['requests']}", _ms(w, "p50_ms"), _ms(w, "p95_ms"),
                     errors, f"{c['healthz']['p50_ms']} / {c['healthz']['p95_ms']} ms",
                     f"{c['peak_worker_rss_mib']} MiB"])
    out.append(_table(["configuration", "req/s", "p50", "p95", "reads p95", "writes", "writes p50", "writes p95",
                       "errors", "/healthz/ p50/p95", "worker peak"], rows))
    samples = [s for c in mixed["configurations"] for s in c["error_samples"]][:5]
    if samples:
        out += ["error samples:", *(f"  {s}" for s in samples)]
    if mixed["statements"]:
        out += ["", f"Slowest SQL statements by total time (* {mixed['statements_recorded_in']}, in the workers; "
                "EXPLAIN (ANALYZE, BUFFERS) with the slowest execution's parameters; SELECTs only)"]
        for n, s in enumerate(mixed["statements"], start=1):
            statement = s["statement"] if len(s["statement"]) <= 400 else s["statement"][:400] + " ..."
            out += [f"{n}. {s['count']} x, total {s['total_ms']} ms, mean {s['mean_ms']} ms, max {s['max_ms']} ms",
                    f"   {statement}"]
            if "plan" in s:
                out += [f"     {line}" for line in s["plan"].splitlines()]
            else:
                out.append(f"     (no plan: {s.get('skipped') or s.get('error')})")
    return out


def figures(pages: list[dict], operations: list[dict], mixed: dict | None = None) -> list[dict]:
    """A flat list of every figure with its unit, ratio, target and verdict (for machines)."""
    flat = []
    for p in pages:
        for metric, unit, ratio in (("rps", "requests/s", "rps_ratio"), ("p50_ms", "ms", "p50_ratio"),
                                    ("p95_ms", "ms", "p95_ratio"), ("errors", "responses", None),
                                    ("peak_worker_rss_mib", "MiB", None)):
            mode = p.get("mode", "kept")
            flat.append({"figure": f"page {p['name']} {mode} {metric}", "path": p["path"], "mode": mode,
                         "value": p[metric], "unit": unit, "ratio_to_healthz": p[ratio] if ratio else None,
                         "target": (p["target"] if metric == "p95_ms" and p["target"] != "baseline" else None),
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
    for c in (mixed or {}).get("configurations", []):
        for part in ("overall", "reads", "writes"):
            for metric, unit in (("rps", "requests/s"), ("p50_ms", "ms"), ("p95_ms", "ms"), ("errors", "responses")):
                flat.append({"figure": f"mixed {c['name']} {part} {metric}", "value": c[part][metric], "unit": unit,
                             "ratio_to_healthz": c[part].get(metric.replace("_ms", "_ratio")) if "_ms" in metric
                             else None, "target": None, "pass": None})
        flat.append({"figure": f"mixed {c['name']} peak_worker_rss_mib", "value": c["peak_worker_rss_mib"],
                     "unit": "MiB", "target": None, "pass": None})
    return flat
