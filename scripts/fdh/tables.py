#!/usr/bin/env python3
"""Markdown tables from a `vigil evaluate fdh --report FILE.json` report (docs/evaluation.md).

usage: tables.py REPORT.json
Prints, week by week, AUC ROC / AP / CP@100 of the model, the rules, the acting score and the
handbook baselines trained on the same file, with their means over the weeks all five scored;
then the thresholds proposed before each week and the rates they reached; then the protocol's test week.
"""
import json
import sys

COLUMNS = [("model", None), ("rules", "rules_only"), ("acting", "acting"), ("LR", "logistic_regression"), ("RF", "random_forest")]


def value(week, key, metric):
    m = week if key is None else week.get(key)
    v = None if m is None else m.get(metric)
    return v if isinstance(v, (int, float)) else None


def pct(v):
    return "—" if v is None else f"{100 * v:.1f} %"


def main():
    r = json.load(open(sys.argv[1]))
    weeks = [w for w in r["weeks"] if w.get("scored_by_model") and all(value(w, k, "average_precision") is not None for _, k in COLUMNS)]
    for metric, title in (("auc_roc", "AUC ROC"), ("average_precision", "AP"), ("card_precision_at_100", "CP@100")):
        print(f"\n**{title}** (acting score: {r.get('combination')})\n")
        print("| week from | " + " | ".join(c for c, _ in COLUMNS) + " | acting − best part | acting − RF |")
        print("|---|" + "---:|" * (len(COLUMNS) + 2))
        sums = [0.0] * (len(COLUMNS) + 2)
        wins = [0, 0]
        for w in weeks:
            v = [value(w, k, metric) for _, k in COLUMNS]
            d1, d2 = v[2] - max(v[0], v[1]), v[2] - v[4]
            wins[0] += d1 >= -1e-12
            wins[1] += d2 > 0
            print(f"| {w['from']} | " + " | ".join(f"{x:.3f}" for x in v) + f" | {d1:+.3f} | {d2:+.3f} |")
            for i, x in enumerate(v + [d1, d2]):
                sums[i] += x
        n = len(weeks)
        if n:
            print(f"| **mean of {n}** | " + " | ".join(f"**{x / n:.3f}**" for x in sums[:len(COLUMNS)])
                  + f" | **{sums[-2] / n:+.3f}** | **{sums[-1] / n:+.3f}** |")
            print(f"\nacting ≥ the better part in {wins[0]} of {n} weeks; acting > RF in {wins[1]} of {n} weeks.")
    t = r.get("threshold_target", {})
    print(f"\n**Thresholds** proposed before each week from the two labelled weeks before it "
          f"(target: review ≤ {100 * t.get('review_max', 0):.0f} %, false interception ≤ {100 * t.get('false_interception_max', 0):.0f} %)\n")
    print("| week from | challenge / review / deny (validation scale) | margin | expected interception | expected false int. | interception | review | false interception | legitimate intercepted |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    met = 0
    rows = 0
    sums = [0.0] * 4
    for w in r["weeks"]:
        p = w.get("threshold_proposal")
        if not p:
            continue
        th, e, a = p["thresholds"], p["expected"], p["reached"]
        rows += 1
        # Nothing intercepted: no false interception either (the rate itself is undefined and prints as —).
        fi = a["false_interception_rate"] if a["false_interception_rate"] is not None else 0.0
        efi = e["false_interception_rate"]
        ok = a["review_rate"] <= t.get("review_max", 1) and fi <= t.get("false_interception_max", 1)
        met += ok
        for i, k in enumerate(("interception_rate", "review_rate", "false_interception_rate", "legitimate_intercepted_rate")):
            sums[i] += fi if k == "false_interception_rate" else a[k]
        v = p.get("validation_thresholds")
        scale = f" ({v['challenge']} / {v['review']} / {v['deny']})" if v else ""
        margin = f"{p['margin']:.1f}" if "margin" in p else ""
        print(f"| {w['from']} | {th['challenge']} / {th['review']} / {th['deny']}{scale} | {margin} | {100 * e['interception_rate']:.1f} % | "
              f"{pct(efi)} | {100 * a['interception_rate']:.1f} % | {100 * a['review_rate']:.2f} % | "
              f"{pct(a['false_interception_rate'])} | {100 * a['legitimate_intercepted_rate']:.3f} % |")
    if rows:
        print(f"| **mean of {rows}** | | | | | **{100 * sums[0] / rows:.1f} %** | **{100 * sums[1] / rows:.2f} %** | "
              f"**{100 * sums[2] / rows:.1f} %** | **{100 * sums[3] / rows:.3f} %** |")
        print(f"\ntarget met (review and false interception) in {met} of {rows} weeks.")
    p = r.get("protocol")
    if p and p.get("rows"):
        print(f"\n**Handbook protocol**, test {p['test_from']}..{p['test_to']} ({p['rows']} rows, {p['frauds']} frauds)\n")
        print("| score | AUC ROC | AP | CP@100 |\n|---|---:|---:|---:|")
        for name, key in [("Vigil LightGBM (model)", None), ("rules", "rules_only"), ("fixed 50/50 blend", "blended"),
                          ("acting score", "acting"), ("logistic regression, this file", "logistic_regression"),
                          ("random forest, this file", "random_forest")]:
            if value(p, key, "auc_roc") is None:
                continue
            print(f"| {name} | " + " | ".join(f"{value(p, key, m):.3f}" for m in ("auc_roc", "average_precision", "card_precision_at_100")) + " |")
        for pub in r.get("published", []):
            print(f"| published: {pub['model']} | {pub['auc_roc']:.3f} | {pub['average_precision']:.3f} | {pub['card_precision_at_100']:.3f} |")


if __name__ == "__main__":
    main()
