#!/usr/bin/env bash
# Writes tests/bench/REPORT.md: runs bench_import.sh, bench_eval.sh and
# bench_daemon.sh at three sizes (BENCH_UNITS = 1000, 10000, 30000 teams;
# REPORT_SIZES="..." to change) one after the other, reads the "name: value"
# lines they print, and tabulates them against the targets: import vs
# sqlite3 .import (<= 1), full evaluation vs one SELECT sum(value) scan
# (<= 3), idle cycle / full cycle (<= 5%), idle CPU (0), peak RSS (<= 256 MiB
# at 10,000 teams), and the cost per team x rule across sizes (roughly
# constant if evaluation is linear). Every script's own output is kept in
# the report, so a figure that could not be read is still there. Takes
# several minutes at 30,000 teams. Exit 1 if a benchmark failed.
# usage: tests/bench/report.sh BUILD_DIR
set -u
here=$(cd "$(dirname "$0")" && pwd)
B=$(cd "${1:-build}" && pwd) || exit 2
sizes=${REPORT_SIZES:-1000 10000 30000}
out=$here/REPORT.md
W=$(mktemp -d /tmp/vigie-report.XXXXXX)
trap 'rm -rf "$W"' EXIT

load=$(cut -d' ' -f1-3 /proc/loadavg)
rc=0
for n in $sizes; do
	for b in import eval daemon; do
		echo "== bench_$b at $n teams" >&2
		s=$(date +%s)
		# bench_eval.sh takes the size as its second argument, the others
		# from BENCH_UNITS: give both.
		BENCH_UNITS=$n bash "$here/bench_$b.sh" "$B" "$n" >"$W/$b.$n.out" 2>"$W/$b.$n.err"
		r=$?
		echo "$r $(( $(date +%s) - s ))" >"$W/$b.$n.rc"
		cat "$W/$b.$n.out" >&2
		[ $r = 0 ] || { rc=1; echo "bench_$b at $n teams FAILED (exit $r)" >&2; tail -n 5 "$W/$b.$n.err" >&2; }
	done
done

/usr/bin/python3 - "$W" "$out" "$load" "$sizes" <<'PY' || rc=1
import os, re, subprocess, sys, time

W, out, load, sizes = sys.argv[1], sys.argv[2], sys.argv[3], [int(x) for x in sys.argv[4].split()]
SCALE = {"ms": 1e-3, "s": 1.0, "kib": 1 / 1024, "mib": 1.0, "gib": 1024.0}


def parse(path):
    """'name: NUMBER [unit] ...' lines -> {name: (number, unit)}; the first
    number after the colon, so 'ratio: 0.47 (target <= 1.0)' gives 0.47."""
    d = {}
    try:
        text = open(path).read()
    except OSError:
        return d
    for line in text.splitlines():
        m = re.match(r"\s*([^:]+?)\s*:\s*([-+]?\d+(?:\.\d+)?)\s*([A-Za-z%]+)?", line)
        if m:
            d.setdefault(m.group(1).lower(), (float(m.group(2)), (m.group(3) or "").lower()))
    return d


def get(d, *patterns, unit=None):
    """The value of the first name matching one of patterns (regexes), in
    `unit` ('s' or 'mib') when given; None when absent."""
    for p in patterns:
        for k, (v, u) in d.items():
            if re.search(p, k):
                if unit and u in SCALE:
                    return v * SCALE[u] / SCALE[unit]
                return v
    return None


runs = {}
for n in sizes:
    for b in ("import", "eval", "daemon"):
        try:
            rc, secs = open("%s/%s.%d.rc" % (W, b, n)).read().split()
        except (OSError, ValueError):
            rc, secs = "?", "?"
        runs[(b, n)] = {"rc": rc, "secs": secs, "d": parse("%s/%s.%d.out" % (W, b, n)),
                        "out": open("%s/%s.%d.out" % (W, b, n)).read()
                        if os.path.exists("%s/%s.%d.out" % (W, b, n)) else "",
                        "err": open("%s/%s.%d.err" % (W, b, n)).read()[-2000:]
                        if os.path.exists("%s/%s.%d.err" % (W, b, n)) else ""}

rows = []       # (label, [cell per size], target)
unread = []     # figures that could not be read
missed = []


def fig(b, n, label, *patterns, unit=None):
    v = get(runs[(b, n)]["d"], *patterns, unit=unit)
    if v is None and runs[(b, n)]["rc"] == "0":
        unread.append("%s at %d teams: %s" % ("bench_" + b + ".sh", n, label))
    return v


def fmt(v, f):
    return "n/a" if v is None else f(v)


def check(v, ok, what, n):
    if v is None:
        return ""
    if ok(v):
        return " ✓"
    missed.append("%s at %s teams" % (what, "{:,}".format(n)))
    return " ✗"


F = {}
for n in sizes:
    f = F[n] = {}
    f["imp"] = fig("import", n, "vigie import time", r"^vigie import$", unit="s")
    f["sqlimp"] = fig("import", n, "sqlite3 .import time", r"sqlite3? ?\.?import", unit="s")
    f["imp_ratio"] = get(runs[("import", n)]["d"], r"^ratio$")
    if f["imp_ratio"] is None and f["imp"] and f["sqlimp"]:
        f["imp_ratio"] = f["imp"] / f["sqlimp"]
    f["scan"] = fig("eval", n, "SELECT sum(value) time", r"select sum", unit="s")
    f["eval"] = fig("eval", n, "vigie eval time", r"^vigie eval", unit="s")
    f["eval_ratio"] = get(runs[("eval", n)]["d"], r"^ratio$")
    if f["eval_ratio"] is None and f["eval"] and f["scan"]:
        f["eval_ratio"] = f["eval"] / f["scan"]
    f["eval_rss"] = fig("eval", n, "eval peak RSS", r"peak rss", unit="mib")
    f["values"] = get(runs[("eval", n)]["d"], r"^values$")
    f["full"] = fig("daemon", n, "daemon full cycle", r"^full cycle$", unit="s")
    f["full_dlv"] = fig("daemon", n, "full cycle with delivery", r"^full cycle with delivery$", unit="s")
    f["trans"] = fig("daemon", n, "transitions", r"^transitions$")
    f["idle"] = fig("daemon", n, "idle cycle", r"^idle cycle$", unit="s")
    f["idle_cpu"] = fig("daemon", n, "idle CPU", r"^idle cpu$")
    f["d_rss"] = fig("daemon", n, "daemon peak RSS", r"^daemon peak rss$", unit="mib")
    f["q_rss"] = fig("daemon", n, "daemon peak RSS without recipients",
                     r"^daemon peak rss without recipients$", unit="mib")
    f["idle_ratio"] = f["idle"] / f["full"] if f["idle"] is not None and f["full"] else None

ms = lambda v: "%.0f ms" % (v * 1000) if v < 10 else "%.1f s" % v
sec = lambda v: "%.2f s" % v
mib = lambda v: "%.0f MiB" % v
per = lambda v: "%.0f ns" % (v * 1e9)


def row(label, key, f, target="", ok=None, what=None, only=None):
    cells = []
    for n in sizes:
        v = F[n][key]
        c = fmt(v, f)
        if ok and (only is None or n == only):
            c += check(v, ok, what or label, n)
        cells.append(c)
    rows.append((label, cells, target))


row("values (teams × 60 months × 12 indicators)", "values", lambda v: "{:,.0f}".format(v))
row("`vigie import` of the long CSV", "imp", sec)
row("`sqlite3 .import` of the same file", "sqlimp", sec)
row("**import ratio** (vigie / sqlite3)", "imp_ratio", lambda v: "%.2f" % v, "≤ 1",
    lambda v: v <= 1, "import ratio")
row("`SELECT sum(value)` over a plain table", "scan", ms)
row("`vigie eval` (100 rules, every unit, JSON)", "eval", ms)
row("**evaluation ratio** (eval / scan)", "eval_ratio", lambda v: "%.2f" % v, "≤ 3",
    lambda v: v <= 3, "evaluation ratio")
for n in sizes:
    e = F[n]["eval"]
    F[n]["eval_per"] = e / (n * 100) if e else None
    d = F[n]["full"]
    F[n]["full_per"] = d / (n * 100) if d else None
row("eval time per team × rule", "eval_per", per, "≈ constant")
row("`vigie eval` peak RSS", "eval_rss", mib, "≤ 256 MiB at 10,000",
    lambda v: v <= 256, "`vigie eval` peak RSS", 10000)
row("transitions recorded by the first cycle", "trans", lambda v: "{:,.0f}".format(v))
row("**daemon full cycle** (evaluation, transitions, outbox)", "full", sec)
row("daemon full cycle per team × rule", "full_per", per, "≈ constant")
row("full cycle including the webhook delivery", "full_dlv", sec)
row("**idle cycle** (no new data)", "idle", ms)
row("**idle / full cycle**", "idle_ratio", lambda v: "%.2f %%" % (100 * v), "≤ 5 %",
    lambda v: v <= 0.05, "idle / full cycle")
row("**idle CPU** between cycles (10 s)", "idle_cpu", lambda v: "%d ticks" % v, "0",
    lambda v: v == 0, "idle CPU")
row("**daemon peak RSS**", "d_rss", mib, "≤ 256 MiB at 10,000",
    lambda v: v <= 256, "daemon peak RSS", 10000)
row("daemon peak RSS, first cycle without recipients", "q_rss", mib)


def growth(key):
    """Ratio of the per team x rule cost at the largest size to the smallest."""
    a, b = F[sizes[0]].get(key), F[sizes[-1]].get(key)
    return b / a if a and b else None


def sh(*cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "?"


cpu = "?"
for line in open("/proc/cpuinfo"):
    if line.startswith("model name"):
        cpu = line.split(":", 1)[1].strip()
        break
L = []
L.append("# Vigie benchmark report")
L.append("")
L.append("Generated by `tests/bench/report.sh` on %s — do not edit by hand. "
         "Commit %s; %s, %s cores; SQLite %s; load average at start %s. "
         "Each benchmark makes its own data (see `tests/bench/README.md`): "
         "teams in a hierarchy × 60 months × 12 indicators; the evaluation and "
         "daemon benchmarks use the 100 rules of `bench_eval_gen.py`."
         % (time.strftime("%Y-%m-%d %H:%M %Z"), sh("git", "-C", os.path.dirname(out), "rev-parse",
            "--short", "HEAD") or "?", cpu, os.cpu_count(), sh("sqlite3", "-version").split(" ")[0],
            load))
L.append("")
L.append("| | " + " | ".join("{:,} teams".format(n) for n in sizes) + " | target |")
L.append("|---|" + "---|" * len(sizes) + "---|")
for label, cells, target in rows:
    L.append("| %s | %s | %s |" % (label, " | ".join(cells), target))
L.append("")
L.append("✓ / ✗: target met / missed (RSS targets are checked at 10,000 teams).")
L.append("")
L.append("## Reading")
L.append("")
g1, g2 = growth("eval_per"), growth("full_per")
if g1 is not None:
    L.append("- Evaluation cost per team × rule grows by a factor %.2f from %s to %s teams "
             "(1.0 is linear)%s." % (g1, "{:,}".format(sizes[0]), "{:,}".format(sizes[-1]),
             "" if g1 < 1.5 else ": worse than linear") + " Fixed costs (start-up, "
             "loading the rules) weigh more at small sizes.")
if g2 is not None:
    L.append("- The daemon's full cycle per team × rule grows by a factor %.2f over the same "
             "range%s." % (g2, "" if g2 < 1.5 else ": worse than linear"))
for n in sorted(sizes, key=lambda n: n != 10000):
    f = F[n]
    if f["d_rss"] and f["q_rss"] and f["d_rss"] > 256 >= f["q_rss"]:
        L.append("- At %s teams the daemon peaks at %.0f MiB, but %.0f MiB when the first "
                 "cycle has no recipients: the excess is the delivery, where one webhook "
                 "message carries every alert of the cycle (%s transitions)."
                 % ("{:,}".format(n), f["d_rss"], f["q_rss"], fmt(f["trans"], lambda v: "{:,.0f}".format(v))))
        break
if missed:
    L.append("- Targets missed: " + "; ".join(missed) + ".")
else:
    L.append("- Every target is met.")
failed = ["bench_%s.sh at %d teams (exit %s)" % (b, n, runs[(b, n)]["rc"])
          for (b, n) in runs if runs[(b, n)]["rc"] != "0"]
if failed:
    L.append("- Benchmarks that failed: " + "; ".join(failed) + ".")
if unread:
    L.append("- Figures not found in the scripts' output (see below): " + "; ".join(unread) + ".")
L.append("")
L.append("## Raw output")
L.append("")
for n in sizes:
    for b in ("import", "eval", "daemon"):
        r = runs[(b, n)]
        L.append("`BENCH_UNITS=%d tests/bench/bench_%s.sh` (exit %s, %s s):" % (n, b, r["rc"], r["secs"]))
        L.append("")
        L.append("```")
        L.append(r["out"].rstrip() or "(no output)")
        if r["rc"] != "0" and r["err"].strip():
            L.append("--- stderr (end)")
            L.append(r["err"].rstrip())
        L.append("```")
        L.append("")
# The web console's section (report_web.sh, make bench-web) is kept.
try:
    old = open(out).read()
except OSError:
    old = ""
web = old[old.find("<!-- bench-web -->"):] if "<!-- bench-web -->" in old else ""
open(out, "w").write("\n".join(L) + ("\n" + web if web else ""))
print("wrote %s" % out)
sys.exit(1 if failed else 0)
PY
exit $rc
