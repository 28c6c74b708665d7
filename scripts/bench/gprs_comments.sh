#!/usr/bin/env bash
# Benchmark (issue #3, 6a): deliver 100 queued comment ops over the `gprs`
# profile (40 kbit/s, 600 ms one-way delay, 5 % loss each way; RTT ~1.24 s)
# with `dauys sync`, versus a naive client sending the same kind of ops one
# HTTP request per op, against the same server in the same run.
#
# Needs root and ../shared/netem (network namespaces). Release builds.
# Usage: bash scripts/bench/gprs_comments.sh
#   RUNS=5       CLI measurements (each with 100 fresh comments)
#   OPS=100      comments per measurement
#   NAIVE_CAP=360  stop the naive client after this many seconds and
#                  extrapolate linearly (it says so when it happens)
#   NAIVE=0      skip the naive client
#   VERBOSE=1    show the client's progress lines with times
#   TRACE=1      log every packet of each measured sync (packet_log.py):
#                round trips, losses and retransmissions
#
# Figures:
#   deliver  time from starting `dauys sync` until the outbox is all accepted
#            (the moment the client prints "pushed: ... 0 left", i.e. after
#            the results are committed to the local database)
#   sync     the whole `dauys sync` process, including the refresh (pull)
#   bytes    IP bytes counted on the client namespace's link (/proc/net/dev
#            of dauys0 before/after): headers, TCP/IP overhead, handshakes
#            and retransmissions included, both directions.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
NETEM=${NETEM:-$ROOT/../shared/netem/netem.sh}
RUNS=${RUNS:-5}
OPS=${OPS:-100}
NAIVE_CAP=${NAIVE_CAP:-360}
[[ -f "$NETEM" ]] || { echo "SKIP: $NETEM not found"; exit 0; }
bash "$NETEM" probe >/dev/null 2>&1 || { echo "SKIP: netem.sh probe failed (needs root)"; exit 0; }
N() { bash "$NETEM" "$@"; }
if [[ "$(N status | head -1)" != down ]]; then
  echo "netem is already up (another run?): refusing to interfere"; exit 1
fi

cd "$ROOT"
cargo build -q --release -j 2 -p dauys-cli -p dauys-server
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release"
WORK=$(mktemp -d /tmp/dauys-bench-gprs.XXXXXX)
SRV_PID=""
cleanup() {
  [[ -n "$SRV_PID" ]] && kill "$SRV_PID" 2>/dev/null || true
  N down >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

N up clean >/dev/null
URL=http://10.199.0.1:8080
N exec-server "$BIN/dauys-server" --demo --listen 10.199.0.1:8080 --database "sqlite:$WORK/server.db" \
  >"$WORK/server.out" 2>"$WORK/server.err" &
SRV_PID=$!
for _ in $(seq 1 100); do grep -q "IIN" "$WORK/server.out" 2>/dev/null && break; sleep 0.2; done
sleep 1
mapfile -t PEOPLE < <(awk '$3=="551010000" && $4=="resident" && NF==4 {print $1" "$2}' "$WORK/server.out")
[[ ${#PEOPLE[@]} -ge 2 ]] || { echo "could not read the census"; cat "$WORK/server.out"; exit 1; }
otp() { # phone -> latest code
  local code=""
  for _ in $(seq 1 50); do
    code=$(awk -v p="$1" '$1=="OTP" && $2==p {c=$3} END {print c}' "$WORK/server.out")
    [[ -n "$code" ]] && break; sleep 0.2
  done
  echo "$code"
}

HOME_DIR="$WORK/home"
D() { N exec-client "$BIN/dauys" --home "$HOME_DIR" --server "$URL" --allow-insecure-http --key-files "$@"; }
pending() { # ops queued or sending (`status` exits 3 while some are)
  { D --json status || true; } | python3 -c 'import json,sys; s=json.load(sys.stdin); print(s["queued"]+s["sending"])'
}
counters() { # "rx tx" bytes of the client's link
  N exec-client cat /proc/net/dev | awk '$1=="dauys0:" {print $2, $10}'
}

# Sign in, follow the demo city (login follows the user's locality) and mirror it once, on a clean link.
read -r iin phone <<<"${PEOPLE[0]}"
D login --iin "$iin" >/dev/null
D login --iin "$iin" --code "$(otp "$phone")" >/dev/null
D follow 551010000
D sync >/dev/null 2>&1
PROPOSAL=$(D --json proposals | python3 -c 'import json,sys; print([p["id"] for p in json.load(sys.stdin) if p["status"] in ("on_ballot","accepted","selected")][0])')

# Runs `dauys sync`, timestamping its progress lines: prints "deliver_s sync_s rc".
timed_sync() {
  python3 - "$@" <<'PY'
import subprocess, sys, time
t0 = time.monotonic()
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
deliver = None
log = []
for line in p.stderr:
    t = time.monotonic() - t0
    log.append("%.2f %s" % (t, line.rstrip()))
    if line.startswith("pushed:") and line.rstrip().endswith(" 0 left"):
        deliver = t
rc = p.wait()
total = time.monotonic() - t0
sys.stderr.write("".join("     | %s\n" % l for l in log))
print("%.2f %.2f %d" % (deliver if deliver is not None else float("nan"), total, rc))
PY
}

echo "== dauys sync: $OPS queued comments over gprs, $RUNS runs"
RESULTS="$WORK/cli.txt"
for r in $(seq 1 "$RUNS"); do
  N change clean >/dev/null
  for i in $(seq 1 "$OPS"); do
    D --offline comment "$PROPOSAL" "gprs bench run $r comment $i — пікір" >/dev/null || [[ $? == 3 ]]
  done
  pending=$(pending)
  [[ $pending == "$OPS" ]] || { echo "expected $OPS queued ops, found $pending"; exit 1; }
  N change gprs >/dev/null
  sleep 2 # let the link settle
  read -r rx0 tx0 < <(counters)
  if [[ -n "${TRACE:-}" ]]; then
    N exec-client python3 "$ROOT/scripts/bench/packet_log.py" dauys0 30 >"$WORK/trace.$r" &
    TPID=$!; sleep 0.3
  fi
  read -r deliver total rc < <(timed_sync bash "$NETEM" exec-client "$BIN/dauys" --home "$HOME_DIR" \
    --server "$URL" --allow-insecure-http --key-files sync 2>"$WORK/sync.$r.log")
  read -r rx1 tx1 < <(counters)
  up=$((tx1 - tx0)); down=$((rx1 - rx0))
  printf "  run %d: deliver %5s s, sync %5s s, %6d B up, %6d B down (exit %s)\n" "$r" "$deliver" "$total" "$up" "$down" "$rc"
  [[ -n "${VERBOSE:-}" ]] && cat "$WORK/sync.$r.log"
  if [[ -n "${TRACE:-}" ]]; then wait "$TPID" || true; cat "$WORK/trace.$r"; fi
  echo "$deliver $total $up $down $rc" >>"$RESULTS"
done
N change clean >/dev/null
left=$(pending)
accepted=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT COUNT(*) FROM comments WHERE body LIKE ?", ("gprs bench run %",)).fetchone()[0])' "$WORK/server.db")
echo "  server stored $accepted comments (expected $((RUNS * OPS))); $left ops left in the outbox"

if [[ "${NAIVE:-1}" != 0 ]]; then
  echo "== naive client: one HTTP/1.1 request per op (python3 http.client, one keep-alive connection, no compression)"
  read -r iin2 phone2 <<<"${PEOPLE[1]}"
  # Sign in on the clean link (not measured).
  N exec-client python3 -c '
import http.client, json, sys
c = http.client.HTTPConnection("10.199.0.1", 8080, timeout=30)
c.request("POST", "/v1/auth/otp", json.dumps({"iin": sys.argv[1]}), {"content-type": "application/json"})
r = c.getresponse(); r.read(); assert r.status == 200, r.status' "$iin2"
  TOKEN=$(N exec-client python3 -c '
import http.client, json, sys
c = http.client.HTTPConnection("10.199.0.1", 8080, timeout=30)
# Any valid Ed25519 public key (RFC 8032 test 1): comments need no signature.
c.request("POST", "/v1/auth/verify", json.dumps({"iin": sys.argv[1], "code": sys.argv[2],
  "device_key": "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "device_name": "naive bench"}),
  {"content-type": "application/json"})
r = c.getresponse(); print(json.loads(r.read())["token"])' "$iin2" "$(otp "$phone2")")
  N change gprs >/dev/null
  sleep 2
  read -r rx0 tx0 < <(counters)
  NAIVE_OUT=$(N exec-client python3 - "$TOKEN" "$PROPOSAL" "$OPS" "$NAIVE_CAP" <<'PY'
import http.client, json, os, sys, time
token, proposal, n, cap = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
def uuid7():
    ms = int(time.time() * 1000)
    b = bytearray(ms.to_bytes(6, "big") + os.urandom(10))
    b[6] = 0x70 | (b[6] & 0x0F); b[8] = 0x80 | (b[8] & 0x3F)
    h = b.hex()
    return "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:])
# The same ops the CLI queues (comment.add needs no signature).
ops = [{"id": uuid7(), "kind": "comment.add", "client_ts": int(time.time() * 1000),
        "payload": {"proposal_id": proposal, "body": "gprs bench naive comment %d — пікір" % (i + 1)}}
       for i in range(n)]
hdr = {"content-type": "application/json", "authorization": "Bearer " + token}
t0 = time.monotonic()
conn, connects, done, errors = None, 0, 0, 0
for op in ops:
    if time.monotonic() - t0 > cap:
        break
    while True:
        try:
            if conn is None:
                conn = http.client.HTTPConnection("10.199.0.1", 8080, timeout=60); connects += 1
            conn.request("POST", "/v1/push", json.dumps({"ops": [op]}, ensure_ascii=False).encode(), hdr)
            r = conn.getresponse(); body = r.read()
            if r.status != 200:
                raise RuntimeError("HTTP %d %s" % (r.status, body[:200]))
            assert json.loads(body)["results"][0]["status"] == "accepted", body
            done += 1
            break
        except (OSError, http.client.HTTPException) as e:  # re-send the same op id on a new connection
            errors += 1
            try: conn.close()
            except Exception: pass
            conn = None
            if time.monotonic() - t0 > cap + 120: raise
print("%d %.2f %d %d" % (done, time.monotonic() - t0, connects, errors))
PY
)
  read -r rx1 tx1 < <(counters)
  read -r ndone ntime nconn nerr <<<"$NAIVE_OUT"
  nup=$((tx1 - tx0)); ndown=$((rx1 - rx0))
  printf "  naive: %d ops in %s s, %d B up, %d B down (%d connection(s), %d re-sent after errors)\n" \
    "$ndone" "$ntime" "$nup" "$ndown" "$nconn" "$nerr"
  echo "$ndone $ntime $nup $ndown" >"$WORK/naive.txt"
fi

echo "== summary (gprs: 40 kbit/s, RTT ~1.24 s, 5 % loss each way; bytes = IP bytes on the client link incl. TCP/IP headers and retransmissions)"
touch "$RESULTS" "$WORK/naive.txt"
python3 - "$RESULTS" "$OPS" "$WORK/naive.txt" <<'PY'
import math, statistics, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1])]
naive = open(sys.argv[3]).read().split()
def s(i, fmt):
    v = [r[i] for r in rows if not math.isnan(r[i])]
    if not v: return "n/a"
    return (fmt + " (min " + fmt + ", max " + fmt + ")") % (statistics.median(v), min(v), max(v))
print("  dauys sync, %s ops, %d runs, median (min, max):" % (sys.argv[2], len(rows)))
print("    deliver (start -> outbox all accepted): %s s" % s(0, "%.2f"))
print("    whole `dauys sync` (incl. refresh):     %s s" % s(1, "%.2f"))
print("    bytes up:                               %s B" % s(2, "%.0f"))
print("    bytes down:                             %s B" % s(3, "%.0f"))
if naive:
    d, t, u, w = map(float, naive)
    n = int(sys.argv[2])
    note = ""
    if d < n:  # stopped at NAIVE_CAP: extrapolate linearly
        f = n / d
        note = " (measured %d ops in %.0f s, extrapolated linearly)" % (d, t)
        t, u, w = t * f, u * f, w * f
    print("  naive one-request-per-op, %d ops%s:" % (n, note))
    print("    time %.1f s, %.0f B up, %.0f B down" % (t, u, w))
    dl = [r[0] for r in rows if not math.isnan(r[0])]
    if dl:
        m = statistics.median(dl)
        print("    dauys sync delivers %.0fx faster (median) with %.1fx fewer bytes" % (
            t / m, (u + w) / statistics.median([r[2] + r[3] for r in rows])))
PY
