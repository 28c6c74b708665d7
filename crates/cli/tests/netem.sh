#!/usr/bin/env bash
# Acceptance 3: the offline-then-online flow through shaped networks
# (../shared/netem): edge, gprs, flaky, and a 10 s partition mid-sync with
# an interrupted photo upload that must resume (bytes re-sent < 2 chunks).
# edge, gprs and flaky each deliver acceptance 1's mix of 200 ops queued
# offline (50 appeals, 10 of them with a photo; 100 comments; 50 ballots in
# 2 voting cycles); the partition run keeps a smaller mix (40 ops) with one
# big photo.
#
# Needs root (network namespaces). Skips with a clear message (exit 0)
# where ../shared/netem is absent or `netem.sh probe` fails.
# Usage: crates/cli/tests/netem.sh          (from anywhere; ~3-5 min)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
NETEM=${NETEM:-$ROOT/../shared/netem/netem.sh}
if [[ ! -x "$NETEM" && ! -f "$NETEM" ]]; then
  echo "SKIP netem tests: $NETEM not found"; exit 0
fi
if ! bash "$NETEM" probe >/dev/null 2>&1; then
  echo "SKIP netem tests: 'netem.sh probe' failed (needs root, iproute2, /dev/net/tun)"; exit 0
fi
N() { bash "$NETEM" "$@"; }

cd "$ROOT"
cargo build -q -p dauys-server -p dauys-cli
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug"
WORK=$(mktemp -d /tmp/dauys-netem.XXXXXX)
SRV_PID=""
cleanup() {
  [[ -n "$SRV_PID" ]] && kill "$SRV_PID" 2>/dev/null || true
  N down >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
START=$(date +%s)
PASS=0; FAIL=0
ok()   { echo "  ok: $*"; PASS=$((PASS+1)); }
bad()  { echo "  FAIL: $*"; FAIL=$((FAIL+1)); }

N up clean >/dev/null
URL=http://10.199.0.1:8080
N exec-server "$BIN/dauys-server" --demo --listen 10.199.0.1:8080 --database "sqlite:$WORK/server.db" >"$WORK/server.out" 2>"$WORK/server.err" &
SRV_PID=$!
for _ in $(seq 1 100); do grep -q "^OTP\|IIN" "$WORK/server.out" 2>/dev/null && break; sleep 0.2; done
sleep 1

# Demo residents of the city (IIN, phone) from the census table.
mapfile -t PEOPLE < <(awk '$3=="551010000" && $4=="resident" && NF==4 {print $1" "$2}' "$WORK/server.out")
[[ ${#PEOPLE[@]} -ge 5 ]] || { echo "could not read the census"; cat "$WORK/server.out"; exit 1; }

D() { # home, args... : the CLI inside the client namespace
  local home=$1; shift
  N exec-client env ${DLOG:+DAUYS_LOG=$DLOG} "$BIN/dauys" --home "$home" --server "$URL" --allow-insecure-http --key-files "$@"
}
sqlq() { python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(c.execute(sys.argv[2], sys.argv[3:]).fetchone()[0])' "$@"; }
login() { # home, person index
  local home=$1 iin phone code
  read -r iin phone <<<"${PEOPLE[$2]}"
  D "$home" login --iin "$iin" >/dev/null
  for _ in $(seq 1 50); do code=$(awk -v p="$phone" '$1=="OTP" && $2==p {c=$3} END {print c}' "$WORK/server.out"); [[ -n "$code" ]] && break; sleep 0.2; done
  D "$home" login --iin "$iin" --code "$code" >/dev/null
}
sync_until_done() { # home, max seconds, extra args
  local home=$1 max=$2; shift 2
  local deadline=$(( $(date +%s) + max )) rc=1
  while (( $(date +%s) < deadline )); do
    rc=0; timeout $(( deadline - $(date +%s) + 1 )) bash -c "$(declare -f D N); NETEM='$NETEM' BIN='$BIN' URL='$URL' DLOG='${DLOG:-}' D '$home' --json sync --attempts 8 $*" >"$home.sync.json" 2>>"$home.sync.err" || rc=$?
    [[ $rc == 0 ]] && return 0
  done
  return $rc
}
python3 - "$WORK/photo.png" 900 700 <<'PY'
import sys, zlib, struct, random
path, w, h = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
random.seed(7)
def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
rows = b''.join(b'\x00' + bytes(random.getrandbits(8) for _ in range(w * 3)) for _ in range(h))
open(path, 'wb').write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(rows, 1)) + chunk(b'IEND', b''))
PY
cp "$ROOT/crates/cli/tests/data/tiny.png" "$WORK/tiny.png"

# Acceptance 1's mix needs ballots in two cycles; the demo city has one in
# voting, so (as crates/core/tests/common::second_voting_cycle does) the
# city's official, moderator and expert open a second one with 3 projects.
cat >"$WORK/cycle2.py" <<'PY'
import json, sys, time, urllib.request
url, out = sys.argv[1], sys.argv[2]
people = {}
for line in open(out):
    f = line.split()
    if len(f) >= 5 and f[2] == "551010000" and f[4] == "Pavlodar":
        people[f[3].rstrip(",")] = (f[0], f[1])
def post(path, body, token=None):
    req = urllib.request.Request(url + path, json.dumps(body).encode(), {"Content-Type": "application/json"})
    if token: req.add_header("Authorization", "Bearer " + token)
    return json.load(urllib.request.urlopen(req, timeout=30))
# RFC 8032 test-vector public keys: valid Ed25519 points (nothing is signed).
keys = {"official": "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
        "moderator": "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
        "expert": "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025"}
tok = {}
for role, key in keys.items():
    iin, phone = people[role]
    post("/v1/auth/otp", {"iin": iin})
    code = None
    for _ in range(100):
        for line in open(out):
            f = line.split()
            if len(f) == 3 and f[0] == "OTP" and f[1] == phone: code = f[2]
        if code: break
        time.sleep(0.1)
    tok[role] = post("/v1/auth/verify", {"iin": iin, "code": code, "device_key": key, "device_name": "netem setup"})["token"]
def act(role, kind, payload):
    r = post("/v1/actions/" + kind, payload, tok[role])
    assert r["status"] == "accepted", (kind, r)
    return r["entity_id"]
cy = act("official", "cycle.create", {"locality": "551010000", "budget": 10000000, "max_projects": 2, "rule": "greedy",
         "title": {"kk": "Netem", "ru": "Netem", "en": "Netem"}})
for i in range(3):
    pid = act("official", "proposal.submit", {"cycle_id": cy, "title": "Netem project %d" % i, "description": "Қала үшін",
              "category": "test", "cost": 1000000})
    act("moderator", "proposal.moderate", {"proposal_id": pid, "decision": "accept"})
    act("expert", "proposal.review", {"proposal_id": pid, "feasible": True, "cost_estimate": 1000000})
act("official", "cycle.phase", {"cycle_id": cy, "phase": "voting"})
print(cy)
PY
CY2=$(N exec-client python3 "$WORK/cycle2.py" "$URL" "$WORK/server.out") || { echo "could not open a second voting cycle"; exit 1; }
echo "second voting cycle: $CY2"

run_profile() { # profile, person index, photo, chunk KiB, partition?
  local prof=$1 who=$2 photo=$3 chunk=$4 part=${5:-}
  local home="$WORK/home-$prof${part:+-partition}"
  echo "== $prof${part:+ + 10 s partition}"
  N change clean >/dev/null
  login "$home" "$who"
  D "$home" sync >/dev/null
  local uid voting pid1 pid2 before t0 t1 nops ap_before
  uid=$(D "$home" --json status | python3 -c 'import json,sys; print(json.load(sys.stdin)["user_id"])')
  voting=$(D "$home" --json cycles | python3 -c 'import json,sys; print([c["id"] for c in json.load(sys.stdin) if c["phase"]=="voting" and c["id"]!=sys.argv[1]][0])' "$CY2")
  read -r pid1 pid2 < <(D "$home" --json proposals --cycle "$voting" | python3 -c 'import json,sys; p=[x["id"] for x in json.load(sys.stdin) if x["status"]=="on_ballot"]; print(p[0], p[1])')
  before=$(sqlq "$WORK/server.db" "SELECT COUNT(*) FROM ops WHERE user_id = ?" "$uid")
  ap_before=$(sqlq "$WORK/server.db" "SELECT COUNT(*) FROM appeals WHERE user_id = ?" "$uid")
  if [[ -n "$part" ]]; then
    nops=40
    # Offline: queue 40 ops (30 comments, 5 ballots, 5 appeals, one with the big photo).
    for i in $(seq 1 30); do D "$home" --offline comment "$pid1" "netem $prof comment $i — пікір" >/dev/null || [[ $? == 3 ]]; done
    for i in $(seq 1 5); do D "$home" --offline vote "$voting" "$pid1" "$pid2" >/dev/null || [[ $? == 3 ]]; done
    for i in $(seq 1 4); do D "$home" --offline appeal new --type request --to pvl-akimat --subject "netem $prof $i" --body "body $i" >/dev/null || [[ $? == 3 ]]; done
    D "$home" --offline appeal new --type complaint --to pvl-housing --subject "netem $prof photo" --body "with photo" --photo "$photo" >/dev/null || [[ $? == 3 ]]
  else
    nops=200
    # Offline, on the clean link, in one process in the client namespace:
    # acceptance 1's mix of 200 ops: 50 appeals (10 with a photo; the CLI
    # has no separate attach command, so the photo rides on the appeal),
    # 100 comments over the cycle's projects, 50 ballots in 2 voting
    # cycles (25 each, alternating; the last cast wins).
    local props1 props2
    props1=$(D "$home" --json proposals --cycle "$voting" | python3 -c 'import json,sys; print(" ".join(x["id"] for x in json.load(sys.stdin) if x["status"]=="on_ballot"))')
    props2=$(D "$home" --json proposals --cycle "$CY2" | python3 -c 'import json,sys; print(" ".join(x["id"] for x in json.load(sys.stdin) if x["status"]=="on_ballot"))')
    local tq=$(date +%s.%N)
    N exec-client bash -c '
      set -u
      bin=$1 home=$2 url=$3 prof=$4 photo=$5 cy1=$6 cy2=$7; p1=($8); p2=($9)
      (( ${#p1[@]} >= 5 && ${#p2[@]} >= 3 )) || { echo "too few projects: ${#p1[@]} ${#p2[@]}" >&2; exit 1; }
      q() { "$bin" --home "$home" --server "$url" --allow-insecure-http --key-files --offline "$@" >/dev/null; local rc=$?; [[ $rc == 3 ]] || { echo "queue rc=$rc: $*" >&2; exit 1; }; }
      for i in $(seq 0 49); do
        to=pvl-akimat; (( i % 3 == 0 )) && to=pvl-housing
        if (( i < 10 )); then
          q appeal new --type complaint --to "$to" --subject "netem $prof appeal $i" --body "Көшеде жарық жоқ, № $i" --photo "$photo"
        else
          q appeal new --type request --to "$to" --subject "netem $prof appeal $i" --body "Нет света на улице, № $i"
        fi
      done
      for i in $(seq 0 99); do q comment "${p1[i % ${#p1[@]}]}" "netem $prof comment $i — пікір"; done
      for i in $(seq 0 24); do
        q vote "$cy1" "${p1[i % 5]}" "${p1[(i + 1) % 5]}"
        q vote "$cy2" "${p2[i % 3]}"
      done
    ' _ "$BIN/dauys" "$home" "$URL" "$prof" "$photo" "$voting" "$CY2" "$props1" "$props2" || { bad "$prof: could not queue the 200 ops"; return; }
    echo "   queued 200 ops offline in $(python3 -c "print(round($(date +%s.%N)-$tq,1))") s"
  fi
  N change "$prof" >/dev/null
  t0=$(date +%s.%N)
  if [[ -n "$part" ]]; then
    # Sync; once the photo upload is under way the link drops for 10 s,
    # and 3 s into the partition the client is SIGKILLed mid-upload. A new
    # sync must then resume the photo from the server's offset.
    bash "$NETEM" exec-client "$BIN/dauys" --home "$home" --server "$URL" --allow-insecure-http \
      --key-files --json sync --chunk-kib "$chunk" >/dev/null 2>&1 &
    local sp=$! got=""
    for _ in $(seq 1 300); do
      got=$(sqlq "$WORK/server.db" "SELECT COALESCE(MAX(received), 0) FROM uploads WHERE length > 100000")
      [[ $got -gt 0 ]] && break
      sleep 0.2
    done
    echo "   partition 10 s once the upload started ($got B in); client SIGKILLed 3 s into it"
    N partition 10 >/dev/null &
    local pp=$!
    sleep 3
    kill -9 "$sp" 2>/dev/null || true
    wait "$sp" 2>/dev/null || true
    got=$(sqlq "$WORK/server.db" "SELECT COALESCE(MAX(received), 0) || '/' || COALESCE(MAX(length), 0) FROM uploads WHERE length > 100000")
    echo "   server had $got B of the photo when the client died"
    local sent_at_kill
    sent_at_kill=$(sqlq "$(ls "$home"/profiles/*/profile.db)" "SELECT bytes_sent FROM media")
    if [[ ${got%/*} -gt 0 && ${got%/*} -lt ${got#*/} ]]; then ok "$prof: upload was interrupted mid-way"; else bad "$prof: upload not interrupted mid-way ($got)"; fi
    wait "$pp" || true
    : >"$home.sync.err"
    DLOG=dauys_core::sync=info sync_until_done "$home" 240 --chunk-kib "$chunk" || { bad "$prof: sync did not finish after the partition"; tail -5 "$home.sync.err"; return; }
  else
    sync_until_done "$home" 240 --chunk-kib "$chunk" || { bad "$prof: sync did not finish in 240 s"; cat "$home.sync.err" | tail -3; return; }
  fi
  t1=$(date +%s.%N)
  local after dup comments accepted
  after=$(sqlq "$WORK/server.db" "SELECT COUNT(*) FROM ops WHERE user_id = ?" "$uid")
  comments=$(sqlq "$WORK/server.db" "SELECT COUNT(*) FROM comments WHERE author = ? AND body LIKE ?" "$uid" "netem $prof comment %")
  accepted=$(D "$home" --json outbox | python3 -c 'import json,sys; o=json.load(sys.stdin); print(sum(1 for e in o if e["state"]=="accepted"), len(o))')
  echo "   delivered in $(python3 -c "print(round($t1-$t0,1))") s; $(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print("%s B up, %s B down, %s tries (last run)" % (r["bytes_up"], r["bytes_down"], r["attempts"]))' "$home.sync.json")"
  [[ $((after - before)) == "$nops" ]] && ok "$prof: $nops ops applied exactly once" || bad "$prof: server applied $((after - before)) ops, expected $nops"
  local ncom=30; [[ $nops == 200 ]] && ncom=100
  [[ $comments == "$ncom" ]] && ok "$prof: $ncom comments stored once" || bad "$prof: $comments comments, expected $ncom"
  [[ "$accepted" == "$nops $nops" ]] && ok "$prof: all local states accepted" || bad "$prof: accepted/total = $accepted"
  if [[ $nops == 200 ]]; then
    local apps media uploads ballots
    apps=$(( $(sqlq "$WORK/server.db" "SELECT COUNT(*) FROM appeals WHERE user_id = ?" "$uid") - ap_before ))
    [[ $apps == 50 ]] && ok "$prof: 50 appeals stored once" || bad "$prof: $apps appeals, expected 50"
    media=$(sqlq "$WORK/server.db" "SELECT COALESCE(SUM(json_array_length(media)), 0) FROM appeals WHERE user_id = ? AND subject LIKE ?" "$uid" "netem $prof appeal %")
    uploads=$(sqlq "$WORK/server.db" "SELECT COUNT(*) FROM uploads WHERE user_id = ? AND received = length" "$uid")
    [[ $media == 10 && $uploads == 10 ]] && ok "$prof: 10 photo uploads complete, on 10 appeals" || bad "$prof: $uploads complete uploads, $media photos on appeals"
    ballots=$(sqlq "$WORK/server.db" "SELECT COUNT(*) FROM ballots WHERE user_id = ? AND cycle_id IN (?, ?)" "$uid" "$voting" "$CY2")
    local receipts
    receipts=$(D "$home" --json ballots | python3 -c 'import json,sys; b=[x for x in json.load(sys.stdin) if x["cycle_id"] in sys.argv[1:]]; print(sum(1 for x in b if x["status"]=="counted" and x.get("receipt")))' "$voting" "$CY2")
    [[ $ballots == 2 && $receipts == 2 ]] && ok "$prof: ballots in 2 cycles counted with receipts" || bad "$prof: server ballots $ballots, counted with receipt $receipts (expected 2, 2)"
  fi
  local integrity
  integrity=$(sqlq "$(ls "$home"/profiles/*/profile.db)" "PRAGMA integrity_check")
  [[ $integrity == ok ]] && ok "$prof: client database integrity ok" || bad "$prof: integrity $integrity"
  if [[ -n "$part" ]]; then
    local sent len lost later
    read -r sent len < <(python3 -c 'import sqlite3,sys; print(*sqlite3.connect(sys.argv[1]).execute("SELECT bytes_sent, length FROM media").fetchone())' "$(ls "$home"/profiles/*/profile.db)")
    # Bytes: what the killed run had put on the wire during the partition
    # is lost to the network whatever the client does; reported only.
    lost=$(( sent_at_kill - ${got%/*} ))
    later=$(( (sent - sent_at_kill) - (len - ${got%/*}) ))
    echo "   photo $len B; sent $sent_at_kill B before the kill, server kept ${got%/*} B ($lost B swallowed by the partition; chunk $((chunk * 1024)) B); after the kill sent $((sent - sent_at_kill)) B for the missing $((len - ${got%/*})) B ($later B re-sent)"
    # What the resume controls is where the next run starts: at the
    # server's offset (at least what it had at the kill; more if the dead
    # socket's buffered chunk arrived after the partition), never at zero.
    # Bytes re-sent later are the flaky link's: each failed try loses the
    # chunk it had in flight, so they are reported with the tries.
    local resumed_at
    grep -a "upload starts at the server's offset" "$home.sync.err" | sed 's/^/   log: /' | head -5 || true
    resumed_at=$(grep -a "upload starts at the server's offset.* total=$len" "$home.sync.err" | head -1 | grep -o 'offset=[0-9]*' | cut -d= -f2 || true)
    echo "   the run after the kill started the photo at ${resumed_at:-?} B (server had ${got%/*} B at the kill); $(grep -c 'sync attempt .* failed' "$home.sync.err" || true) failed tries after the kill"
    [[ -n "$resumed_at" ]] && (( resumed_at >= ${got%/*} )) && ok "$prof: interrupted upload resumed from the server offset" || bad "$prof: upload resumed at ${resumed_at:-?} B, server had ${got%/*} B"
  fi
}

if [[ "${ONLY:-}" != partition ]]; then
  run_profile edge 0 "$WORK/tiny.png" 64
  run_profile gprs 1 "$WORK/tiny.png" 16
  run_profile flaky 2 "$WORK/tiny.png" 64
fi
run_profile flaky 3 "$WORK/photo.png" 32 partition

echo "netem: $PASS passed, $FAIL failed ($(( $(date +%s) - START )) s)"
[[ $FAIL == 0 ]]
