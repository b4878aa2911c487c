#!/usr/bin/env python3
"""Writes the HTTP benchmark's report (markdown, on stdout) from run.sh's output directory: results.properties,
noop.json (JMH) and the JFR recordings in jfr/. Standard library only; uses the JDK's `jfr` tool."""
import collections
import json
import os
import re
import subprocess
import sys

OUT = sys.argv[1]
R = {}
with open(os.path.join(OUT, "results.properties")) as f:
    for line in f:
        if "=" in line:
            k, v = line.rstrip("\n").split("=", 1)
            R[k] = v


def num(key):
    v = R.get(key)
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def fmt(v, unit=""):
    if v is None:
        return "–"
    if abs(v) >= 100:
        s = f"{v:,.0f}"
    elif abs(v) >= 10:
        s = f"{v:.1f}"
    else:
        s = f"{v:.2f}"
    return s + unit


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def rfmt(r):
    return "–" if r is None else f"{r:.2f}×"


def met(ok):
    return "–" if ok is None else ("**met**" if ok else "**missed**")


def le(v, limit):
    return None if v is None else v <= limit


def ge(v, limit):
    return None if v is None else v >= limit


noop = noop_base = None
try:
    with open(os.path.join(OUT, "noop.json")) as f:
        for b in json.load(f):
            p50 = b["primaryMetric"]["scorePercentiles"]["50.0"]
            if b["benchmark"].endswith("createToCompleted"):
                noop = p50 / 1000.0  # µs -> ms
            elif b["benchmark"].endswith("baselineTwoThreadHops"):
                noop_base = p50 / 1000.0
except (OSError, KeyError, ValueError):
    pass

# PostgreSQL's own view of the LAST=10 requests: every statement it logged meanwhile (log_min_duration_statement=0),
# in total per list query seen
pg_last10_note = ""
try:
    total, lists_seen = 0.0, 0
    with open(os.path.join(OUT, "logs", "pg-last10-statements.log")) as f:
        for line in f:
            m = re.search(r"duration: ([0-9.]+) ms\s+(\w+)[^:]*: (.*)", line)
            if m and not re.search(r"ALTER SYSTEM|pg_reload_conf", m.group(3)):
                total += float(m.group(1))
                if m.group(2) == "bind" and m.group(3).startswith("SELECT job_id, phase, run_id"):
                    lists_seen += 1
    if lists_seen:
        pg_last10_note = (f"; PostgreSQL's own log: {total / lists_seen:.2f} ms of statements per request "
                          f"({lists_seen} list queries)")
except OSError:
    pass


def gc_log(srv):
    """Pauses of a server's life from its -Xlog:gc,gc+cpu file, without the full GCs the benchmark asked for (jcmd
    GC.run): (count, max ms, pauses >= 100 ms, of those how many were starved of CPU: wall time >= 2x GC CPU time)."""
    pauses, cpu = {}, {}
    try:
        with open(os.path.join(OUT, "logs", f"{srv}-gc.log")) as f:
            for line in f:
                m = re.search(r"GC\((\d+)\) (Pause .*) ([0-9.]+)ms$", line)
                if m and "Diagnostic Command" not in line and "System.gc" not in line:
                    pauses[m.group(1)] = float(m.group(3))
                m = re.search(r"GC\((\d+)\) User=([0-9.]+)s Sys=([0-9.]+)s Real=([0-9.]+)s", line)
                if m:
                    cpu[m.group(1)] = (float(m.group(2)) + float(m.group(3)), float(m.group(4)))
    except OSError:
        return None
    long_ = [k for k, v in pauses.items() if v >= 100]
    starved = [k for k in long_ if k in cpu and cpu[k][1] >= 2 * cpu[k][0]]
    return len(pauses), max(pauses.values(), default=0), len(long_), len(starved)


rows = []  # (figure, value, baseline, ratio, target, met, limit-hint)


def row(figure, value, unit, base, base_unit, target, ok, cpu=None):
    rows.append((figure, fmt(value, unit), fmt(base, base_unit), rfmt(ratio(value, base)), target, met(ok),
                 cpu or ""))


def cpu(srv, label):
    s, w, p = num(f"{srv}.{label}.cpu_server"), num(f"{srv}.{label}.cpu_wrk"), num(f"{srv}.{label}.cpu_pg")
    if s is None:
        return ""
    out = f"server {s:.2f}, wrk {w:.2f}"
    if p:
        out += f", PostgreSQL {p:.2f}"
    return out + " cores"


def base(srv, label, key="rate"):
    """The trivial servlet's figure measured just before this store's runs, else the one at the start."""
    v = num(f"base_{srv}.{label}.{key}")
    return v if v is not None else num(f"trivial.{label}.{key}")


tp = base("memory", "post")
mp = num("memory.post.rate")
row("Job creation, memory store (POST → 303, /s)", mp, "", tp, "", "≥ 50% of trivial", ge(ratio(mp, tp), 0.5),
    cpu("memory", "post"))
mp99 = num("memory.post.p99_ms")
row("  its p99 latency (ms)", mp99, "", base("memory", "post", "p99_ms"), "", "≤ 20 ms", le(mp99, 20))
g, gt = gc_log("memory"), gc_log("trivial")
row(f"  GC pauses ≥ 100 ms, memory server's life (≈{R.get('memory.heap.jobs_stored_about', '?')} jobs stored)",
    g and g[2], "", gt and gt[2], "", "none", None if g is None else g[2] == 0,
    g and f"{g[0]} pauses, max {g[1]:.0f} ms; {g[3]} of the ≥ 100 ms ones starved of CPU (wall ≥ 2× GC CPU time)")
bpj = num("memory.heap.bytes_per_job")
row(f"  memory per job (heap after full GC, {R.get('memory.heap.jobs_added', '?')} jobs added, B)", bpj, "", None,
    "", "≤ 1,024 B", le(bpj, 1024))
for srv, share, name in (("memory", 0.5, "memory store"), ("h2", 0.5, "H2"), ("pg", 0.25, "PostgreSQL")):
    g, tg = num(f"{srv}.get.rate"), base(srv, "get")
    row(f"One job GET, {name} (/s, 16 connections)", g, "", tg, "", f"≥ {share:.0%} of trivial",
        ge(ratio(g, tg), share), cpu(srv, "get"))
    g1 = num(f"{srv}.get1.rate")
    row(f"  {name}: 16 connections vs one connection (/s)", g, "", g1, " (1 conn.)",
        "never below one connection", ge(ratio(g, g1), 1.0), f"p50 {R.get(srv + '.get.p50_ms', '?')} ms, "
        f"p99 {R.get(srv + '.get.p99_ms', '?')} ms")
for srv, name in (("h2", "H2"), ("pg", "PostgreSQL")):
    v = num(f"{srv}.post.rate")
    row(f"Job creation, {name} (/s)", v, "", base(srv, "post"), "", "≥ 5,000/s", ge(v, 5000), cpu(srv, "post"))
for fmt_ in ("xml", "json"):
    base = num(f"trivial.list_{fmt_}.median_ms")
    for srv, name in (("memory", "memory"), ("h2", "H2"), ("pg", "PostgreSQL")):
        v = num(f"{srv}.list_{fmt_}.median_ms")
        row(f"Job list of 10,000 jobs, {fmt_.upper()}, {name} (median ms)", v, "", base, "", "≤ 15 ms", le(v, 15),
            f"{R.get(srv + '.list_' + fmt_ + '.bytes', '?')} bytes vs {R.get('trivial.list_' + fmt_ + '.bytes', '?')}")
v = num("pg.last10.median_ms")
row(f"LAST=10 of {R.get('pg.bigfill.total_rows', '?')} jobs on PostgreSQL (median ms)", v, "", num("trivial.doc.median_ms"),
    "", "≤ 5 ms", le(v, 5), f"filled through JdbcJobStore.insertAll in {R.get('pg.bigfill.seconds', '?')} s" + pg_last10_note)
v = num("memory.getwait.p99_ms")
held = R.get("memory.waiters.held_min", "?")
row(f"Unrelated GET p99 with {R.get('memory.waiters.target', '?')} WAIT requests held (ms; held at least {held})",
    v, "", num("memory.get.p99_ms"), " (no waiters)", "≤ 50 ms", le(v, 50),
    cpu("memory", "getwait") + f"; rate {R.get('memory.getwait.rate', '?')}/s")
v = num("memory.wakeup.median_ms")
row("Waiter returns after the phase change, same node (median ms)", v, "", None, "", "≤ 20 ms", le(v, 20),
    f"max {R.get('memory.wakeup.max_ms', '?')} ms; after the POST's answer {R.get('memory.wakeup.after_ack_median_ms', '?')} ms")
v = num("pg.wakeup_cross.median_ms")
row("Waiter returns after the phase change, across two nodes on PostgreSQL (median ms)", v, "", None, "", "≤ 20 ms",
    le(v, 20), f"max {R.get('pg.wakeup_cross.max_ms', '?')} ms; after the POST's answer "
    f"{R.get('pg.wakeup_cross.after_ack_median_ms', '?')} ms")
row("In-JVM no-op job, creation → COMPLETED, engine threads (median ms)", noop, "", noop_base, "", "≤ 1 ms",
    le(noop, 1.0), "JMH sample time; baseline: two plain thread hops")

print("# uwskit HTTP benchmark report\n")
print(f"Mode **{R.get('mode')}**, {R.get('started')} → {R.get('finished')}; {R.get('machine.cpus')} cores "
      f"({R.get('machine.cpu')}), {R.get('machine.mem_gb')} GB; load average {R.get('machine.load_start')} at start, "
      f"{R.get('machine.load_end')} at end. {R.get('java')}; {R.get('wrk')}; PostgreSQL {R.get('pg.version')}. "
      f"{R.get('settings')}. Ratios are to the trivial servlet in the same Jetty, measured in the same run "
      f"(rates: again just before each store, rows base_STORE below) "
      f"(for the lists: the same Jetty writing a fixed list of 10,000 jobs from a byte array; for LAST=10: one fixed "
      f"job document). CPU: cores used by each process during the measured run (2 cores in all).\n")
print("| figure | value | baseline | ratio | target | | CPU / notes |")
print("|---|---|---|---|---|---|---|")
for r in rows:
    print("| " + " | ".join(r) + " |")

print("\n## Raw wrk figures\n")
print("Server CPU per request = the server's CPU time during the run ÷ requests answered.\n")
print("| server | run | rate /s | p50 ms | p99 ms | max ms | 4xx/5xx | socket errors | CPU | server CPU per request |")
print("|---|---|---|---|---|---|---|---|---|---|")
for srv in ("trivial", "base_memory", "memory", "base_h2", "h2", "base_pg", "pg"):
    for label in ("post", "get", "get1", "getwait"):
        if f"{srv}.{label}.rate" in R:
            g = lambda k: R.get(f"{srv}.{label}.{k}", "–")
            c, r = num(f"{srv}.{label}.cpu_server"), num(f"{srv}.{label}.rate")
            per = f"{c / r * 1e6:.0f} µs" if c and r else "–"
            print(f"| {srv} | {label} | {g('rate')} | {g('p50_ms')} | {g('p99_ms')} | {g('max_ms')} | "
                  f"{g('bad_status')} | {g('socket_errors')} | {cpu(srv, label)} | {per} |")

# ------------------------------------------------------------------------------------------------ profiles
FRAME = re.compile(r"^\s+([\w$.<>/]+)\(.*\)\s+line:")
THREAD = re.compile(r'sampledThread = "([^"]*)"')
CATEGORIES = [
    ("PostgreSQL driver", "org.postgresql."), ("H2", "org.h2."), ("HikariCP", "com.zaxxer.hikari."),
    ("XML (StAX)", "javax.xml.stream|com.sun.xml.internal.stream|com.ctc.wstx"), ("Jackson", "com.fasterxml.jackson."),
    ("uwskit core and stores", "org.uwskit.internal.|org.uwskit.memory.|org.uwskit.jdbc.|org.uwskit.spi."
                               "|org.uwskit.xml.|org.uwskit.json.|org.uwskit.local."),
    ("uwskit servlet adapter", "org.uwskit.servlet."), ("benchmark servlet", "org.uwskit.benchmarks."),
    ("other uwskit", "org.uwskit."), ("Jetty", "org.eclipse.jetty."), ("socket I/O", "sun.nio.ch."),
]


def profile(path):
    try:
        text = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "96", path],
                              capture_output=True, text=True, timeout=300).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    self_ = collections.Counter()
    incl = collections.Counter()
    threads = collections.Counter()
    cats = collections.Counter()
    total = 0
    for event in text.split("jdk.ExecutionSample {")[1:]:
        frames = [m.group(1) for m in map(FRAME.match, event.splitlines()) if m]
        if not frames:
            continue
        total += 1
        self_[frames[0]] += 1
        t = THREAD.search(event)
        threads[re.sub(r"[-#]?\d+$", "", t.group(1)) if t else "?"] += 1
        seen = set()
        for fr in frames:
            if fr.startswith("org.uwskit.") and fr not in seen:
                seen.add(fr)
                incl[fr] += 1
        for name, prefixes in CATEGORIES:
            if any(fr.startswith(p) for fr in frames for p in prefixes.split("|")):
                cats[name] += 1
                break
    return total, self_, incl, threads, cats


print("\n## Profiles (JFR execution samples of the server during each measured run)\n")
print("Self = the sampled method itself; uwskit inclusive = samples with that uwskit method anywhere on the stack; "
      "category = the first category, in the order driver, H2, HikariCP, StAX, Jackson, uwskit core and stores, "
      "adapter, Jetty, socket I/O, with a frame on the stack (so 'adapter' counts samples in the adapter and Jetty "
      "but not inside core, stores, serializers or drivers). Percentages of all samples.\n")
jfr_dir = os.path.join(OUT, "jfr")
for name in sorted(os.listdir(jfr_dir)) if os.path.isdir(jfr_dir) else []:
    p = profile(os.path.join(jfr_dir, name))
    if not p or not p[0]:
        continue
    total, self_, incl, threads, cats = p
    pct = lambda c: f"{100.0 * c / total:.1f}%"
    print(f"### {name[:-4]} ({total} samples)\n")
    print("threads: " + ", ".join(f"{t} {pct(c)}" for t, c in threads.most_common(6)) + "  ")
    print("categories: " + ", ".join(f"{t} {pct(c)}" for t, c in cats.most_common()) + "\n")
    print("| self | % | uwskit inclusive | % |")
    print("|---|---|---|---|")
    s, i = self_.most_common(12), incl.most_common(12)
    for k in range(max(len(s), len(i))):
        a = s[k] if k < len(s) else ("", 0)
        b = i[k] if k < len(i) else ("", 0)
        print(f"| `{a[0]}` | {pct(a[1]) if a[0] else ''} | `{b[0]}` | {pct(b[1]) if b[0] else ''} |")
    print()
