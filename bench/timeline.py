#!/usr/bin/env python3
"""Who uses the CPU, when, during one command (a Ferry run): samples /proc every 100 ms.

    bench/timeline.py POSTMASTER_PID OUT_PREFIX -- COMMAND...
    bench/timeline.py --report OUT_PREFIX.tsv

Samples every thread of COMMAND's process tree (JVM threads by name) and every child process of
the PostgreSQL postmaster (backends by their process title: the statement they run, e.g.
"COPY", "CREATE INDEX", "parallel worker for PID n"). Writes OUT_PREFIX.tsv (raw samples) and
prints: per backend, its title segments (start, end, CPU-s); per JVM thread, its active span and
CPU-s; and per 0.5 s, the cores used by the JVM and by PostgreSQL (2.0 = both cores busy).
Read the structure and CPU-seconds: on a shared machine, wall times are noisy.
"""
import os
import subprocess
import sys
import time

HZ = os.sysconf("SC_CLK_TCK")


def stat_ticks(path):
    try:
        with open(path) as f:
            s = f.read()
    except OSError:
        return None
    comm = s[s.index("(") + 1 : s.rindex(")")]
    fields = s[s.rindex(")") + 2 :].split()
    return comm, int(fields[11]) + int(fields[12]), fields[0]  # utime + stime, state


def children(pid):
    out = []
    try:
        for t in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{t}/children") as f:
                out += [int(x) for x in f.read().split()]
    except OSError:
        pass
    return out


def tree(pid):
    todo, seen = [pid], []
    while todo:
        p = todo.pop()
        seen.append(p)
        todo += children(p)
    return seen


def title(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return None


def main():
    if sys.argv[1] == "--report":  # again, from a saved OUT_PREFIX.tsv
        rows = []
        with open(sys.argv[2]) as f:
            for line in f:
                t, kind, ident, name, ticks, state = line.rstrip("\n").split("\t")
                rows.append((float(t), kind, ident, name, int(ticks), state))
        report(rows, rows[-1][0], "?")
        return
    postmaster, prefix = int(sys.argv[1]), sys.argv[2]
    cmd = sys.argv[sys.argv.index("--") + 1 :]
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd)
    rows = []
    while True:
        now = time.monotonic() - t0
        for p in tree(proc.pid):
            try:
                tids = os.listdir(f"/proc/{p}/task")
            except OSError:
                continue
            for tid in tids:
                st = stat_ticks(f"/proc/{p}/task/{tid}/stat")
                if st:
                    rows.append((now, "jvm", f"{p}/{tid}", st[0], st[1], st[2]))
        for b in children(postmaster):
            st = stat_ticks(f"/proc/{b}/stat")
            t = title(b)
            if st and t:
                rows.append((now, "pg", str(b), t.replace("\t", " "), st[1], st[2]))
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    end = time.monotonic() - t0
    with open(prefix + ".tsv", "w") as f:
        for r in rows:
            f.write("\t".join(str(x) for x in r) + "\n")
    report(rows, end, proc.returncode)
    sys.exit(proc.returncode)


def report(rows, end, rc):
    print(f"exit {rc}, {end:.2f} s")
    by = {}
    runnable = {}  # sample time -> [JVM threads, backends] in state R (running or wanting a core)
    for t, kind, ident, name, ticks, state in rows:
        by.setdefault((kind, ident), []).append((t, name, ticks))
        r = runnable.setdefault(t, [0, 0])
        if state == "R":
            r[0 if kind == "jvm" else 1] += 1
    wants = {}
    for t, (j, p) in runnable.items():
        w = wants.setdefault(int(t / 0.5), [0, 0, 0])
        w[0] += j
        w[1] += p
        w[2] += 1
    buckets = {}
    print("\n-- PostgreSQL backends: title segments (start-end s, CPU-s)")
    for (kind, ident), samples in sorted(by.items(), key=lambda kv: kv[1][0][0]):
        if kind != "pg":
            continue
        segs, prev = [], None
        for t, name, ticks in samples:
            short = name.split(" ", 4)[-1] if name.startswith("postgres: ") else name
            if prev is not None:
                d = (ticks - prev[1]) / HZ
                b = int(t / 0.5)
                buckets.setdefault(b, [0.0, 0.0])[1] += d
                if segs and segs[-1][0] == short:
                    segs[-1][2] = t
                    segs[-1][3] += d
                else:
                    segs.append([short, prev[0], t, d])
            prev = (t, ticks)
        busy = [s for s in segs if s[3] >= 0.05]
        if busy:
            total = sum(s[3] for s in segs)
            print(f"pid {ident}  total {total:.2f} CPU-s")
            for s in busy:
                print(f"   {s[1]:6.2f}-{s[2]:6.2f}  {s[3]:5.2f}  {s[0][:90]}")
    print("\n-- JVM threads (first-last active s, CPU-s)")
    for (kind, ident), samples in sorted(by.items()):
        if kind != "jvm":
            continue
        first = last = None
        cpu = samples[-1][2] / HZ  # threads start at 0
        prev = 0
        for t, name, ticks in samples:
            if ticks > prev:
                first = first if first is not None else t
                last = t
                buckets.setdefault(int(t / 0.5), [0.0, 0.0])[0] += (ticks - prev) / HZ
            prev = ticks
        if cpu >= 0.05:
            print(f"   {samples[0][1][:20]:20s} {first:6.2f}-{last:6.2f}  {cpu:5.2f}")
    print("\n-- per 0.5 s: cores used by the JVM, PostgreSQL, total; then threads wanting a core")
    print("   (state R, JVM + PostgreSQL: on a quiet 2-core machine, below 2 = a core idles)")
    tj = tp = 0.0
    for b in range(0, int(end / 0.5) + 1):
        j, p = buckets.get(b, [0.0, 0.0])
        tj += j
        tp += p
        bar = "#" * int(round((j / 0.5) * 10)) + "+" * int(round((p / 0.5) * 10))
        wj, wp, n = wants.get(b, [0, 0, 1])
        print(
            f"   {b * 0.5:5.1f}  {j / 0.5:4.2f} {p / 0.5:4.2f} {(j + p) / 0.5:4.2f}"
            f"  wants {wj / n:3.1f}+{wp / n:3.1f}  {bar}"
        )
    print(f"CPU-s: JVM {tj:.2f} (sampled threads), PostgreSQL {tp:.2f}, total {tj + tp:.2f}")


if __name__ == "__main__":
    main()
