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
schemathesis run "http://127.0.0.1:$port/v1/openapi.json" --url "http://127.0.0.1:$port" \
  --checks not_a_server_error --max-examples "${SCHEMATHESIS_EXAMPLES:-25}" --no-color
