#!/usr/bin/env bash
# Property-based API test: schemathesis generates requests from the served
# OpenAPI document against a demo server; any 5xx fails.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v schemathesis >/dev/null || pip install -q --disable-pip-version-check "schemathesis>=4,<5"
cargo build -q -p dauys-server
work=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
./target/debug/dauys-server --demo --listen "127.0.0.1:$port" --database "sqlite:$work/st.db" >"$work/out.log" 2>"$work/err.log" &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
# Authenticated as a demo resident (RFC 8032 test-vector public key as the device key).
iin=$(awk '$NF=="resident" && $1 ~ /^[0-9]+$/ && length($1) == 12 {print $1; exit}' "$work/out.log")
curl -fsS -H 'content-type: application/json' -d "{\"iin\":\"$iin\"}" "http://127.0.0.1:$port/v1/auth/otp" >/dev/null
sleep 0.3
code=$(awk '/^OTP/ {c=$3} END {print c}' "$work/out.log")
token=$(curl -fsS -H 'content-type: application/json' \
  -d "{\"iin\":\"$iin\",\"code\":\"$code\",\"device_key\":\"d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a\"}" \
  "http://127.0.0.1:$port/v1/auth/verify" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
schemathesis run "http://127.0.0.1:$port/v1/openapi.json" --url "http://127.0.0.1:$port" \
  -H "Authorization: Bearer $token" --exclude-path /v1/auth/logout --checks not_a_server_error --max-examples "${SCHEMATHESIS_EXAMPLES:-25}" --no-color

# The server's public export of a finished cycle passes the official pabulib checker.
python3 -c 'import pabulib.checker' 2>/dev/null || pip install -q --disable-pip-version-check pabulib-checker
cycle=$(curl -fsS "http://127.0.0.1:$port/v1/cycles?locality=551010000" \
  | python3 -c 'import json,sys; print(next(c["id"] for c in json.load(sys.stdin) if c["phase"] in ("implementation","closed")))')
curl -fsS -o "$work/export.pb" "http://127.0.0.1:$port/v1/cycles/$cycle/ballots.pb"
python3 - "$work/export.pb" <<'PYEOF'
import io, contextlib, json, sys
from pabulib.checker import Checker
buf = io.StringIO()
with contextlib.redirect_stdout(buf):
    res = Checker().process_files([sys.argv[1]])
errors = [(k, v["results"]["errors"]) for k, v in res.items() if k != "metadata" and isinstance(v, dict) and v.get("results", {}).get("errors")]
if errors:
    print("pabulib-checker errors in the server's export:", json.dumps(errors, indent=1, ensure_ascii=False)[:3000])
    sys.exit(1)
print("pabulib-checker: the server's exported .pb passes")
PYEOF
