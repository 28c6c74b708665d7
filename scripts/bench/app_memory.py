#!/usr/bin/env python3
"""Idle memory and start-up time of the release Dauys app (issue 5).

Run through scripts/bench/app_memory.sh, which provides Xvfb, a D-Bus session
with an unlocked keyring and the environment below.

For each state:
  first-start  a fresh data directory: the language screen;
  signed-in    a resident signed in against a demo server, home screen with
               its locality's data (prepared once through WebDriver, then the
               app is started on its own);
the app is launched LAUNCHES times; each launch waits for the first rendered
screen (the app prints it with DAUYS_TIMING=1 when the UI says it drew), stays
idle IDLE_S seconds, then sums the PSS (/proc/PID/smaps_rollup) of the app
and every process under it (WebKitWebProcess, WebKitNetworkProcess, …).

  DAUYS_BENCH_APP      release binary (custom-protocol build)
  DAUYS_BENCH_SERVER   dauys-server binary (for the signed-in state)
  DAUYS_BENCH_LAUNCHES launches per state (default 5)
  DAUYS_BENCH_IDLE_S   idle seconds before measuring (default 10)
  DAUYS_BENCH_STATES   comma-separated states (default first-start,signed-in)
"""
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

APP = os.environ["DAUYS_BENCH_APP"]
LAUNCHES = int(os.environ.get("DAUYS_BENCH_LAUNCHES", "5"))
IDLE_S = float(os.environ.get("DAUYS_BENCH_IDLE_S", "10"))
STATES = os.environ.get("DAUYS_BENCH_STATES", "first-start,signed-in").split(",")


def descendants(pid):
    """pid and every process under it."""
    children = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        # comm may contain spaces: the ppid is the 2nd field after ')'.
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(d))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def mem(pid):
    """(name, rss_kb, pss_kb) of one process."""
    with open(f"/proc/{pid}/comm") as f:
        name = f.read().strip()
    vals = {}
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            m = re.match(r"^(Rss|Pss):\s+(\d+) kB", line)
            if m:
                vals[m.group(1)] = int(m.group(2))
    return name, vals.get("Rss", 0), vals.get("Pss", 0)


# The shell's own "setup done" figures (profile opened, sync loop started),
# to tell the shell's share of the start from the web view's.
SETUPS = []


def launch(home, server_url):
    """Starts the app; returns (process, seconds to first rendered screen,
    the app's own figure in ms)."""
    env = dict(os.environ, DAUYS_HOME=home, DAUYS_TIMING="1")
    if server_url:
        env["DAUYS_SERVER"] = server_url
    t0 = time.monotonic()
    proc = subprocess.Popen([APP], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    ready = threading.Event()
    own = []
    tail = []

    def read():
        for line in proc.stderr:
            tail.append(line.rstrip())
            del tail[:-20]
            m = re.search(r"setup done after (\d+) ms", line)
            if m:
                SETUPS.append(int(m.group(1)))
            m = re.search(r"first screen rendered after (\d+) ms", line)
            if m:
                own.append(int(m.group(1)))
                ready.set()
    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(60):
        proc.kill()
        raise RuntimeError("the app did not report its first screen within 60 s; its last lines:\n"
                           + "\n".join(tail))
    return proc, time.monotonic() - t0, own[0]


def stop(proc):
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    time.sleep(0.5)


def prepare_signed_in(tmp):
    """A data directory with a signed-in resident (via the E2E helpers) and
    the demo server it talks to (left running)."""
    e2e_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "e2e")
    sys.path.insert(0, e2e_dir)
    os.environ.setdefault("DAUYS_E2E_APP", APP)
    os.environ.setdefault("DAUYS_E2E_SERVER", os.environ["DAUYS_BENCH_SERVER"])
    os.environ.setdefault("DAUYS_E2E_ARTIFACTS", tmp)
    os.environ.setdefault("DAUYS_E2E_AXE", os.path.join(e2e_dir, "node_modules", "axe-core", "axe.min.js"))
    import test_app as e2e
    server = e2e.DemoServer(tmp)
    server.start()
    home = os.path.join(tmp, "home-signed-in")
    app = e2e.App(home, server.url, "bench").start()
    try:
        iin, phone, _, _ = server.person("resident")
        app.click('[data-testid="lang-ru"]')
        e2e.sign_in(app, server, iin, phone)
        app.wait('[data-testid="cycle"]', timeout=30)
    finally:
        app.quit()
    return home, server


def measure(state, make_home, server_url):
    rows, starts, owns = [], [], []
    SETUPS.clear()
    for i in range(LAUNCHES):
        home = make_home()
        proc, secs, own = launch(home, server_url)
        starts.append(secs)
        owns.append(own)
        time.sleep(IDLE_S)
        procs = []
        for pid in descendants(proc.pid):
            try:
                procs.append((pid, *mem(pid)))
            except OSError:
                pass
        rows.append(procs)
        stop(proc)
    # Memory: the launch with the median total PSS.
    totals = [sum(p[3] for p in r) for r in rows]
    mid = sorted(range(len(rows)), key=lambda i: totals[i])[len(rows) // 2]
    print(f"\n== {state}: {LAUNCHES} launches, idle {IDLE_S:.0f} s before measuring")
    print(f"  start to first rendered screen: median {statistics.median(starts) * 1000:.0f} ms "
          f"(launches: {', '.join(f'{s * 1000:.0f}' for s in starts)} ms; "
          f"app's own count from main(): median {statistics.median(owns):.0f} ms; "
          f"the shell's setup done at median {statistics.median(SETUPS or [0]):.0f} ms)")
    print(f"  memory (launch with the median total; PSS shares libraries fairly):")
    print(f"  {'pid':>7}  {'process':<22} {'RSS MB':>8} {'PSS MB':>8}")
    for pid, name, rss, pss in rows[mid]:
        print(f"  {pid:>7}  {name:<22} {rss / 1024:8.1f} {pss / 1024:8.1f}")
    print(f"  {'':>7}  {'total':<22} {sum(p[2] for p in rows[mid]) / 1024:8.1f} {totals[mid] / 1024:8.1f}")
    print(f"  total PSS of all launches (MB): {', '.join(f'{t / 1024:.1f}' for t in totals)}")
    return totals[mid]


def main():
    tmp = tempfile.mkdtemp(prefix="dauys-bench-mem-")
    server = None
    worst = 0
    try:
        if "first-start" in STATES:
            n = [0]

            def fresh():
                n[0] += 1
                return os.path.join(tmp, f"home-fresh-{n[0]}")
            # No server: the first screen needs none.
            worst = max(worst, measure("first-start (language screen)", fresh, "http://127.0.0.1:9"))
        if "signed-in" in STATES:
            home, server = prepare_signed_in(tmp)
            worst = max(worst, measure("signed-in (home screen, online)", lambda: home, server.url))
    finally:
        if server:
            server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    target = 250 * 1024
    print(f"\ntarget: total PSS <= 250 MB: {'met' if worst <= target else 'NOT met'} "
          f"(highest median {worst / 1024:.1f} MB)")


if __name__ == "__main__":
    main()
