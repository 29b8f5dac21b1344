#!/usr/bin/env python3
"""The table of scripts/perf/compare.sh: one row per run (target, round, rate) from the generator's
JSON and the server's GC log (-Xlog:gc:file=...:utctime), pauses counted inside the measured phase.
Usage: table.py OUT_DIR [--doc docs/performance.md]  (--doc replaces the block between the markers)."""
import glob, json, os, re, sys
from datetime import datetime

BEGIN, END = "<!-- compare:begin -->", "<!-- compare:end -->"
PAUSE = re.compile(r"^\[(\S+)\].*\bPause\b.*?(\d+(?:\.\d+)?)ms\s*$")


def gc_pauses(log, start_ms, end_ms):
    """(count, total ms, max ms, collector) of the pauses logged between start_ms and end_ms."""
    count, total, longest, collector = 0, 0.0, 0.0, ""
    if not os.path.exists(log):
        return count, total, longest, collector
    for line in open(log, encoding="utf-8", errors="replace"):
        if "Using " in line and not collector:
            collector = line.rsplit("Using ", 1)[1].strip()
        m = PAUSE.match(line)
        if not m:
            continue
        at = datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S.%f%z").timestamp() * 1000
        if start_ms <= at <= end_ms:
            ms = float(m.group(2))
            count, total, longest = count + 1, total + ms, max(longest, ms)
    return count, total, longest, collector


def rows(out):
    result = []
    for path in sorted(glob.glob(os.path.join(out, "*-r*-*.json")), key=os.path.getmtime):
        name = os.path.basename(path)[:-5]
        run, rate = name.rsplit("-", 1)
        target, rnd = run.rsplit("-r", 1)
        r = json.load(open(path))
        start, end = r.get("measured_from_epoch_ms", 0), r.get("measured_to_epoch_ms", 0)
        n, total, longest, collector = gc_pauses(os.path.join(out, run + "-gc.log"), start, end)
        seconds = max((end - start) / 1000, 1e-9)
        cpu = r.get("cpu_us_per_request", {})
        result.append({
            "target": target, "round": rnd, "rate": int(float(rate)), "achieved": r["achieved_rate"],
            "p50": r["p50_ms"], "p99": r["p99_ms"], "p999": r["p999_ms"], "errors": r["errors"],
            "server": cpu.get("server"), "pg": cpu.get("postgresql"), "gen": cpu.get("generator"),
            "lag": r.get("scheduler_lag_measured_max_ms"), "load": r.get("load_average_start", "").split(" ")[0],
            "gc": f"{n} / {longest:.0f} ms / {100 * total / 1000 / seconds:.1f} %" if start else "–",
            "collector": collector})
    return result


def fmt(v, unit=""):
    return "–" if v is None else (f"{v:,.0f}{unit}" if isinstance(v, (int, float)) and v >= 100 else f"{v}{unit}")


def table(out):
    rs = rows(out)
    lines = ["| target | round | offered | achieved | p50 | p99 | p99.9 | errors | CPU µs/req: server | PostgreSQL | generator"
             " | total | generator late (max) | GC pauses (n / max / % of time) | load (1 min) |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rs:
        total = sum(v for v in (r["server"], r["pg"], r["gen"]) if v is not None)
        lines.append(f"| {r['target']} | {r['round']} | {r['rate']:,}/s | {r['achieved']:,.0f}/s | {r['p50']} ms | {r['p99']} ms"
                     f" | {r['p999']} ms | {r['errors']:,} | {fmt(r['server'])} | {fmt(r['pg'])} | {fmt(r['gen'])} | {total:,.0f}"
                     f" | {r['lag']} ms | {r['gc']} | {r['load']} |")
    collectors = sorted({r["collector"] for r in rs if r["collector"]})
    lines.append("")
    lines.append("Collector of every server: " + (", ".join(collectors) or "not logged") + ".")
    # Same-run ratios at each offered rate: Vigil's achieved rate over each baseline's.
    by = {}
    for r in rs:
        by.setdefault(r["rate"], {}).setdefault(r["target"], []).append(r["achieved"])
    ratios = []
    for rate, t in sorted(by.items()):
        best = {k: max(v) for k, v in t.items()}
        for baseline in ("naive", "hello"):
            if not best.get(baseline):
                continue
            if best[baseline] >= 0.97 * rate:  # it kept up: its limit, and so the ratio, lies above this rate
                ratios.append(f"at {rate:,}/s offered, {baseline} kept up (no ratio)")
                continue
            for store in ("vigil-h2", "vigil-pg"):
                if store in best:
                    ratios.append(f"at {rate:,}/s offered, {store} / {baseline} = {best[store] / best[baseline]:.2f}")
    if ratios:
        lines.append("Achieved-rate ratios where the baseline was saturated (best round of each): " + "; ".join(ratios) + ".")
    return "\n".join(lines) + "\n"


def main():
    out = sys.argv[1]
    text = table(out)
    if len(sys.argv) > 3 and sys.argv[2] == "--doc":
        doc = open(sys.argv[3], encoding="utf-8").read()
        if BEGIN not in doc or END not in doc:
            sys.exit(f"{sys.argv[3]} has no {BEGIN} ... {END} block")
        head, rest = doc.split(BEGIN, 1)
        open(sys.argv[3], "w", encoding="utf-8").write(head + BEGIN + "\n" + text + rest[rest.index(END):])
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
