#!/usr/bin/env python3
"""CPU time per request, by process: runs a load command (wrk or pgbench) and reports the
user and system CPU seconds that tcd, PostgreSQL's backends, Node (PostGraphile) and the
load generator itself spent during it, divided by the requests it completed, from /proc.

    python3 xtask/bench/cpu_per_request.py wrk -t2 -c16 -d10s -s W1.tcd.lua http://127.0.0.1:18080/graphql

Processes that start and end within the run (pgbench's backends) are not seen; the load
generator's own time comes from its rusage. See BENCHMARKS.md, "Where the machine's time goes".
"""
import os, sys, subprocess, time, re, resource
HZ = os.sysconf('SC_CLK_TCK')
def procs():
    out = {}
    for p in os.listdir('/proc'):
        if not p.isdigit(): continue
        try:
            s = open(f'/proc/{p}/stat').read()
        except OSError: continue
        comm = s[s.index('(')+1:s.rindex(')')]
        f = s[s.rindex(')')+2:].split()
        out[int(p)] = (comm, int(f[11]), int(f[12]))  # utime, stime
    return out
def machine():
    f = open('/proc/stat').readline().split()[1:]
    v = list(map(int, f))
    idle = v[3] + v[4]
    return sum(v[:8]) - idle, sum(v[:8])
def group(c):
    if c.startswith('postgres') or c.startswith('postmaster'): return 'postgres'
    if c.startswith('tcd') or c.startswith('actix') or c.startswith('tokio'): return 'tcd'
    if c.startswith('node'): return 'node'
    if c.startswith('wrk'): return 'wrk'
    if c.startswith('pgbench'): return 'pgbench'
    return 'other:' + c
a = procs(); ma = machine(); ra = resource.getrusage(resource.RUSAGE_CHILDREN)
r = subprocess.run(sys.argv[1:], capture_output=True, text=True)
b = procs(); mb = machine(); rb = resource.getrusage(resource.RUSAGE_CHILDREN)
print(r.stdout)
g = {}
for pid, (c, u, s) in b.items():
    u0, s0 = (a[pid][1], a[pid][2]) if pid in a and a[pid][0] == c else (0, 0)
    du, ds = (u - u0) / HZ, (s - s0) / HZ
    if du + ds <= 0: continue
    k = group(c); x = g.setdefault(k, [0, 0]); x[0] += du; x[1] += ds
g['client(child)'] = [rb.ru_utime-ra.ru_utime, rb.ru_stime-ra.ru_stime]
m = re.search(r'Requests/sec:\s+([\d.]+)', r.stdout) or re.search(r'tps = ([\d.]+)', r.stdout)
m2 = re.search(r'(\d+) requests in', r.stdout) or re.search(r'number of transactions actually processed: (\d+)', r.stdout)
n = int(m2.group(1)) if m2 else None
print(f"machine busy {(mb[0]-ma[0])/HZ:.2f}s of {(mb[1]-ma[1])/HZ:.2f}s; requests {n}")
for k, (u, s) in sorted(g.items(), key=lambda kv: -sum(kv[1])):
    per = f"  {1e6*(u+s)/n:7.1f} us/req (user {1e6*u/n:.1f}, sys {1e6*s/n:.1f})" if n else ""
    print(f"{k:24s} user {u:6.2f}s sys {s:6.2f}s{per}")
if n: print(f"machine busy per request: {1e6*(mb[0]-ma[0])/HZ/n:.1f} us")
