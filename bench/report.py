#!/usr/bin/env python3
"""bench/report.py RAW_CSV META LBW_MESSAGES OUT_DIR

Turns bench/run.sh's raw.csv (one line per run) into OUT_DIR/results.md (the
table), OUT_DIR/results.csv (medians and ratios) and OUT_DIR/results.png (a
log-scale bar chart of the ratios to native, drawn by gnuplot when present).
It only reports what was measured: nothing here passes or fails on a time.
"""
import csv
import math
import os
import shutil
import statistics
import subprocess
import sys
from collections import Counter, OrderedDict

MODES = ["native", "lbw", "lbw-nr", "lbw-r", "proot", "qemu"]
MODE_TITLE = {
    "native": "native",
    "lbw": "lbw",
    "lbw-nr": "lbw --no-rewrite",
    "lbw-r": "lbw -R /",
    "proot": "proot -r /",
    "qemu": "qemu-x86_64",
}
MICRO_TITLE = {
    "null_syscall": "null syscall (getppid)",
    "open_close": "open+close /etc/passwd",
    "stat": "stat /etc/passwd",
    "read_zero": "read 1 byte /dev/zero",
    "write_null": "write 1 byte /dev/null",
    "fork_wait": "fork+wait",
    "fork_exec_wait": "fork+exec+wait /bin/true",
    "pthread_create_join": "pthread create+join",
    "futex_pingpong": "futex ping-pong (round trip, one CPU)",
    "clock_gettime": "clock_gettime (vDSO)",
    "signal_roundtrip": "signal round trip (kill self)",
    "mmap_munmap_64k": "mmap+munmap 64 KiB",
    "sud_allow_floor": "floor: SUD armed, call allowed",
    "sud_trap_floor": "floor: bare SUD trap round trip",
}
FLOORS = ("sud_allow_floor", "sud_trap_floor")
# Cells that need a footnote: (benchmark, mode) -> marker.
FOOTNOTES = {("fork_exec_wait", "qemu"): "†"}
STATUS_TEXT = {
    "timeout": "timeout",
    "wrong": "WRONG OUTPUT",
    "nooutput": "FAIL (no result)",
    "nores": "FAIL (not run)",
}


def read_meta(path):
    meta = OrderedDict()
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if "=" in line:
                k, v = line.split("=", 1)
                meta[k] = v
    return meta


def fmt_time(ns):
    if ns < 1e3:
        return "%.0f ns" % ns
    if ns < 1e6:
        return "%.2f us" % (ns / 1e3)
    if ns < 1e9:
        return "%.2f ms" % (ns / 1e6)
    return "%.2f s" % (ns / 1e9)


def fmt_ratio(r):
    if r < 10:
        return "%.2fx" % r
    if r < 100:
        return "%.1fx" % r
    return "%.0fx" % r


def status_text(st):
    if st in STATUS_TEXT:
        return STATUS_TEXT[st]
    if st.isdigit():
        code = int(st)
        if code > 128:
            return "FAIL (signal %d)" % (code - 128)
        return "FAIL (exit %d)" % code
    return "FAIL (%s)" % st


def md_cell(text):
    return text.replace("|", "\\|")


def geomean(xs):
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None


def main():
    raw_path, meta_path, msg_path, out = sys.argv[1:5]
    meta = read_meta(meta_path)
    run_modes = meta.get("modes", "").split()

    runs = OrderedDict()  # (kind, bench) -> mode -> list of rows
    with open(raw_path) as f:
        for row in csv.DictReader(f):
            key = (row["kind"], row["benchmark"])
            runs.setdefault(key, {}).setdefault(row["mode"], []).append(row)

    # Summaries: (kind, bench, mode) -> dict
    summ = {}
    for (kind, bench), per_mode in runs.items():
        for mode, rows in per_mode.items():
            ok = [float(r["value_ns"]) for r in rows if r["status"] == "0"]
            bad = [r["status"] for r in rows if r["status"] not in ("0", "skip")]
            rss = [int(r["maxrss_kib"]) for r in rows if r["status"] == "0" and r["maxrss_kib"]]
            summ[(kind, bench, mode)] = {
                "median": statistics.median(ok) if ok and not bad else None,
                "status": bad[0] if bad else "0",
                "ok": len(ok),
                "reps": len(rows),
                "rss": statistics.median(rss) if rss and not bad else None,
                "fail_rep": next((r["rep"] for r in rows if r["status"] not in ("0", "skip")), None),
            }

    def ratio(kind, bench, mode):
        s, n = summ.get((kind, bench, mode)), summ.get((kind, bench, "native"))
        if not s or not n or s["median"] is None or not n["median"]:
            return None
        return s["median"] / n["median"]

    def cell(kind, bench, mode):
        if mode not in run_modes:
            return "n/a"
        s = summ.get((kind, bench, mode))
        if s is None:
            return "—" if bench in FLOORS else "n/a"
        if s["status"] != "0":
            return "%s (rep %s)" % (status_text(s["status"]), s["fail_rep"])
        text = fmt_time(s["median"])
        r = ratio(kind, bench, mode)
        if mode != "native" and r is not None:
            text += " (%s)" % fmt_ratio(r)
        return text + FOOTNOTES.get((bench, mode), "")

    micro = [b for (k, b) in runs if k == "micro"]
    work = [b for (k, b) in runs if k == "workload"]

    # ---- results.csv ---------------------------------------------------------
    with open(os.path.join(out, "results.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["kind", "benchmark", "mode", "median_ns", "ratio_to_native", "reps_ok",
                    "reps", "status", "median_maxrss_kib"])
        for (kind, bench) in runs:
            for mode in MODES:
                s = summ.get((kind, bench, mode))
                if s is None:
                    continue
                r = ratio(kind, bench, mode)
                w.writerow([kind, bench, mode,
                            "%.1f" % s["median"] if s["median"] is not None else "",
                            "%.4f" % r if r is not None else "", s["ok"], s["reps"],
                            "ok" if s["status"] == "0" else s["status"],
                            "%d" % s["rss"] if s["rss"] is not None else ""])

    # ---- results.md ----------------------------------------------------------
    L = []
    L.append("# lbw benchmarks")
    L.append("")
    L.append("Machine: Linux %s, %s, %s CPUs; %s; load average (1, 5, 15 min) %s." % (
        meta.get("kernel", "?"), meta.get("cpu", "?"), meta.get("nproc", "?"), meta.get("date", "?"),
        meta.get("load", "?")))
    L.append("%s (commit %s); PRoot %s (%s); %s." % (
        meta.get("lbw_version", "") or "lbw", meta.get("lbw_commit", "?") or "?",
        meta.get("proot_version", "") or "n/a", meta.get("proot_accel", "") or "?",
        meta.get("qemu_version", "") or "qemu-x86_64 n/a"))
    reps_done = {}
    for (kind, _b), per_mode in runs.items():
        for rows in per_mode.values():
            for r in rows:
                reps_done[kind] = max(reps_done.get(kind, 0), int(r["rep"]))
    mreps, wreps = reps_done.get("micro", 0), reps_done.get("workload", 0)
    L.append("Run: `make bench` (%s sizes), %d repetition(s) of the microbenchmarks and %d of the "
             "workloads, modes alternating within each repetition; took %s s. Cells: median "
             "(ratio to native). Generated by bench/run.sh; these are measurements, not pass/fail "
             "tests." % (meta.get("size", "?"), mreps, wreps, meta.get("elapsed_s", "?")))
    if meta.get("cut", "").strip():
        L.append("")
        L.append("**Repetitions were cut to stay within BENCH_BUDGET=%s s** (%s; asked for %s "
                 "micro and %s workload repetitions)." % (
                     meta.get("budget_s", "?"), meta["cut"].strip(),
                     meta.get("micro_reps", "?"), meta.get("reps", "?")))
    L.append("")
    header = "| benchmark | " + " | ".join(MODE_TITLE[m] for m in MODES) + " |"
    rule = "|---|" + "---:|" * len(MODES)

    if micro:
        L.append("## Microbenchmarks (time per operation)")
        L.append("")
        L.append("Each value is the median of %s run(s) of bench/micro, each run reporting the median "
                 "of %s rounds of at least %s ms." % (mreps, meta.get("micro_rounds", "?"),
                                                       meta.get("micro_ms", "?")))
        L.append("")
        L.append(header)
        L.append(rule)
        for b in micro:
            L.append("| %s | " % MICRO_TITLE.get(b, b) + " | ".join(cell("micro", b, m) for m in MODES) + " |")
        L.append("")
    if work:
        L.append("## Workloads (wall time)")
        L.append("")
        L.append("Median of %s run(s) (/bin/true alone: of all its runs, BENCH_TRUE_INNER per repetition); "
                 "each run is `MODE /bin/sh -c 'COMMAND'` (commands below)." % wreps)
        L.append("")
        L.append(header)
        L.append(rule)
        for b in work:
            L.append("| %s | " % md_cell(meta.get("wdesc." + b, b)) + " | ".join(cell("workload", b, m) for m in MODES) + " |")
        g = []
        for m in MODES:
            if m not in run_modes:
                g.append("n/a")
                continue
            if m == "native":
                g.append("")
                continue
            rs = [ratio("workload", b, m) for b in work]
            good = [r for r in rs if r is not None]
            if not good:
                g.append("n/a")
            else:
                t = fmt_ratio(geomean(good))
                if len(good) < len(rs):
                    t += " (%d of %d)" % (len(good), len(rs))
                g.append(t)
        L.append("| geometric mean of ratios | " + " | ".join(g) + " |")
        L.append("")
        L.append("Peak resident memory (largest max RSS of any process of the workload, median):")
        L.append("")
        L.append(header)
        L.append(rule)
        for b in work:
            cells = []
            for m in MODES:
                s = summ.get(("workload", b, m))
                if m not in run_modes or s is None or s["rss"] is None:
                    cells.append("n/a" if m not in run_modes or s is None else "—")
                else:
                    cells.append("%.1f MiB" % (s["rss"] / 1024))
            L.append("| %s | " % b + " | ".join(cells) + " |")
        L.append("")

    # ---- issue 5's targets, as measured in this run --------------------------
    def med(kind, b, m):
        s = summ.get((kind, b, m))
        return s["median"] if s and s["status"] == "0" else None

    L.append("## Against issue 5's targets (this run)")
    L.append("")
    T = []
    nl, nn = med("micro", "null_syscall", "lbw"), med("micro", "null_syscall", "native")
    fa, ft = med("micro", "sud_allow_floor", "native"), med("micro", "sud_trap_floor", "native")
    nr = med("micro", "null_syscall", "lbw-nr")
    if nl and nn:
        t = "null syscall, lbw: %s = %s native (target ≤ 1.5x)" % (fmt_time(nl), fmt_ratio(nl / nn))
        if fa:
            t += ", %s the SUD-armed floor of %s (target ≤ 1.1x)" % (fmt_ratio(nl / fa), fmt_time(fa))
        T.append(t)
    if nr and ft:
        T.append("null syscall through the trap (lbw --no-rewrite): %s = %s the bare SUD trap round "
                 "trip of %s (target ≤ 1.15x)" % (fmt_time(nr), fmt_ratio(nr / ft), fmt_time(ft)))
    wl = [(b, ratio("workload", b, "lbw")) for b in work]
    wl_ok = [(b, r) for b, r in wl if r is not None]
    if wl_ok:
        worst = max(wl_ok, key=lambda x: x[1])
        T.append("workloads under lbw: worst %s (%s), geometric mean %s over %d of %d (targets: "
                 "each ≤ 1.10x, mean ≤ 1.05x)" % (fmt_ratio(worst[1]), worst[0],
                                                  fmt_ratio(geomean([r for _, r in wl_ok])),
                                                  len(wl_ok), len(wl)))
    for b in ("find", "git_status", "sh_loop_true"):
        p, l, lr = med("workload", b, "proot"), med("workload", b, "lbw"), med("workload", b, "lbw-r")
        if p and l:
            t = "%s: PRoot takes %s lbw's time (target ≥ 3x)" % (b, fmt_ratio(p / l))
            if lr:
                t += ", %s lbw's with a guest root (`lbw -R /`)" % fmt_ratio(p / lr)
            T.append(t)
    wr = [r for r in (ratio("workload", b, "lbw-r") for b in work) if r is not None]
    if wr:
        T.append("workloads under `lbw -R /` (every path resolved by lbw): geometric mean %s over %d"
                 % (fmt_ratio(geomean(wr)), len(wr)))
    tl, tn = med("workload", "true", "lbw"), med("workload", "true", "native")
    if tl and tn:
        t = "`lbw /bin/true` adds %.2f ms to native's %.2f ms (target ≤ 1 ms)" % ((tl - tn) / 1e6, tn / 1e6)
        sl, sn = summ.get(("workload", "true", "lbw")), summ.get(("workload", "true", "native"))
        if sl and sn and sl["rss"] is not None and sn["rss"] is not None:
            t += "; peak RSS %.1f MiB against %.1f MiB (+%.1f MiB; target ≤ 2 MiB)" % (
                sl["rss"] / 1024, sn["rss"] / 1024, (sl["rss"] - sn["rss"]) / 1024)
        T.append(t)
    L.extend("- " + t for t in T) if T else L.append("- (nothing to compare in this run)")
    L.append("")

    # ---- notes ----------------------------------------------------------------
    L.append("## Notes")
    L.append("")
    L.append("- Floors: bench/micro arms Syscall User Dispatch itself, natively only: "
             "\"SUD armed, call allowed\" times raw getppid syscalls with the selector at ALLOW; "
             "\"bare SUD trap round trip\" sets it to BLOCK, and a SIGSYS handler makes the call "
             "from an allowed region and writes the result into the saved rax.")
    L.append("- † qemu-user does not follow execve: in the fork+exec+wait microbenchmark the "
             "exec'd /bin/true runs natively under qemu.")
    L.append("- Workloads under qemu: without binfmt_misc (which on an x86-64 host would also "
             "capture the native runs), qemu-x86_64 runs only the program it is given. So in "
             "qemu mode every command of the workload's shell line is written "
             "`qemu-x86_64 PROG`, as binfmt_misc would run it; gcc's cc1, as and collect2 run "
             "under qemu through `gcc -B<directory of as>/ -wrapper qemu-x86_64` (-B so that gcc names `as` by its path, which qemu needs), tar's gzip through "
             "`tar -I 'qemu-x86_64 gzip'`, make's compiler through `CC=`. Still native under "
             "qemu: ld (started by collect2) and anything else a program starts on its own.")
    L.append("- Every run's stdout is checked against a native warm-up run: identical, except "
             "find's count, which must be within 25% of it (/usr is live: packages come and go "
             "during a run). A mode whose run fails or differs is shown as such and not run again.")
    L.append("- proot runs with its defaults (`proot -r /`); `proot --version` says: %s." %
             (meta.get("proot_accel", "") or "?"))
    L.append("- Workload commands, run as `MODE /bin/sh -c 'COMMAND'` (`true` without the "
             "shell); the inputs are generated once under the cache directory:")
    for b in work:
        L.append("  - %s: `%s`" % (b, meta.get("wcmd." + b, "?")))
        if meta.get("wqemu." + b):
            L.append("    - qemu: `%s`" % meta["wqemu." + b])
    fails = [(k, b, m, s) for (k, b, m), s in summ.items() if s["status"] != "0"]
    if fails:
        L.append("- Failed runs (logs in bench/results/logs/, not kept in git):")
        for k, b, m, s in fails:
            L.append("  - %s %s under %s: %s at rep %s; log `logs/%s.%s.rep%s`" % (
                k, b, MODE_TITLE.get(m, m), status_text(s["status"]), s["fail_rep"], b, m, s["fail_rep"]))
    msgs = Counter()
    if os.path.exists(msg_path):
        with open(msg_path, errors="replace") as f:
            for line in f:
                line = line.rstrip("\n")
                if line:
                    msgs[line] += 1
    if msgs:
        L.append("- Messages lbw printed on stderr (`benchmark,mode: line` ×times seen):")
        for line, n in sorted(msgs.items(), key=lambda x: (-x[1], x[0]))[:30]:
            L.append("  - `%s` ×%d" % (line, n))
        if len(msgs) > 30:
            L.append("  - ... %d more distinct lines in logs/lbw-messages.txt" % (len(msgs) - 30))
    L.append("")
    if shutil.which("gnuplot"):
        L.append("Chart: results.png (ratios to native, log scale). Raw runs: raw.csv.")
    else:
        L.append("No chart: gnuplot is not installed (bench/deps.sh installs gnuplot-nox). Raw runs: raw.csv.")
    with open(os.path.join(out, "results.md"), "w") as f:
        f.write("\n".join(L) + "\n")

    # ---- chart -----------------------------------------------------------------
    gp = shutil.which("gnuplot")
    png = os.path.join(out, "results.png")
    chart_modes = [m for m in MODES if m != "native"]
    dat = os.path.join(out, "logs", "chart.dat")
    all_r, n_micro = [], 0
    with open(dat, "w") as f:
        f.write("bench " + " ".join('"%s"' % MODE_TITLE[m] for m in chart_modes) + "\n")
        for kind, names in (("micro", micro), ("workload", work)):
            for b in names:
                if b in FLOORS:
                    continue
                n_micro += kind == "micro"
                vals = []
                for m in chart_modes:
                    r = ratio(kind, b, m)
                    vals.append("%.4f" % r if r is not None and r > 0 else "?")
                    if r is not None and r > 0:
                        all_r.append(r)
                f.write('"%s" %s\n' % (b, " ".join(vals)))
    ymin = 0.5
    while all_r and ymin > 0.01 and min(all_r) < ymin * 1.05:
        ymin /= 2
    ticks = [t for t in (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500,
                         1000, 2000, 5000) if t >= ymin]
    ytics = ", ".join('"%gx" %g' % (t, t) for t in ticks)
    sep = ""
    if micro and work:
        sep = ("set arrow from first %(x)g, graph 0 to first %(x)g, graph 1 nohead lw 1 lc rgb '#888888'\n"
               "set label 'microbenchmarks' at first %(x)g, graph 0.97 right offset -1,0\n"
               "set label 'workloads' at first %(x)g, graph 0.97 left offset 1,0\n") % {"x": n_micro - 0.5}
    if not gp:
        sys.stderr.write("bench: no gnuplot: no chart\n")
        if os.path.exists(png):
            os.remove(png)
        return 0
    script = """
set terminal pngcairo size 1600,720 font "sans,10" noenhanced
set output '%(png)s'
set title "lbw benchmarks: time relative to native (log scale; 1 = native)\\n%(sub)s"
set datafile missing "?"
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set logscale y
set yrange [%(ymin)g:*]
set ytics (%(ytics)s)
%(sep)s
set grid ytics
set xtics rotate by -35 scale 0 nomirror
set key outside top center horizontal
set arrow from graph 0, first 1 to graph 1, first 1 nohead lw 1.5 dt 2
set rmargin 4
set bmargin 8
plot %(plots)s
""" % {"png": png, "dat": dat, "ymin": ymin, "ytics": ytics, "sep": sep,
       "plots": ", \\\n     ".join(
           "%s using %d%s title columnheader(%d) lc rgb \"%s\"" % (
               "'%s'" % dat if i == 0 else "''", i + 2, ":xtic(1)" if i == 0 else "", i + 2, color)
           for i, color in enumerate(["#1f77b4", "#7fb7e0", "#2ca02c", "#ff9f1c", "#d62728"][:len(chart_modes)])),
       "sub": "%s, %s CPUs, Linux %s, %s" % (meta.get("cpu", "?"), meta.get("nproc", "?"),
                                           meta.get("kernel", "?"), meta.get("date", "?"))}
    r = subprocess.run([gp], input=script, text=True, capture_output=True)
    if r.returncode != 0:
        sys.stderr.write("bench: gnuplot failed:\n" + r.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
