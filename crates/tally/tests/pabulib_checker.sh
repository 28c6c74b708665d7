#!/usr/bin/env bash
# Checks .pb files written by dauys-tally with the official pabulib checker
# (PyPI `pabulib-checker`, module `pabulib.checker.Checker`).
#
#   crates/tally/tests/pabulib_checker.sh [IN.pb ...]
#
# For every input (default: a few files of ../shared/pabulib) it writes
#   1. the canonical round trip      (dauys-tally roundtrip IN OUT)
#   2. a server-style export: the file's rule recounted, anonymized voters,
#      `selected` column from our outcome (dauys-tally IN --anonymize --export OUT)
# and runs the checker on each. Exits 1 if the checker reports errors.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"   # workspace root
shared="$(cd "$root/.." && pwd)/shared/pabulib"
PY="${PYTHON:-python3}"

if ! "$PY" -c 'import pabulib.checker' >/dev/null 2>&1; then
  "$PY" -m pip install --quiet pabulib-checker
fi

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target-tally}"
(cd "$root" && cargo build --quiet --release -p dauys-tally --bin dauys-tally)
bin="$CARGO_TARGET_DIR/release/dauys-tally"

if [ "$#" -gt 0 ]; then
  inputs=("$@")
else
  inputs=()
  for f in Netherlands_Assen_2024 Poland_Wieliczka_2023_Green_Budget Poland_Gdynia_2020_Grabowek__large \
           Poland_Katowice_2024_Podlesie Poland_Warszawa_2026_Wierzbno_Ksawerow; do
    [ -f "$shared/$f.pb" ] && inputs+=("$shared/$f.pb")
  done
  if [ "${#inputs[@]}" -eq 0 ]; then
    echo "SKIPPED: no input files ($shared absent)"; exit 0
  fi
fi

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
files=()
# Not checked here: the in-memory example of examples/server_export.rs. Its
# rule is equalshares/add1 with a budget in tenge, and the checker recomputes
# add1 one currency unit at a time, which never finishes for such budgets.
# The server's real export is checked by scripts/schemathesis.sh.
for f in "${inputs[@]}"; do
  name="$(basename "$f" .pb)"
  "$bin" roundtrip "$f" "$out/${name}_roundtrip.pb"
  "$bin" "$f" --anonymize --export "$out/${name}_export.pb" >/dev/null
  files+=("$out/${name}_roundtrip.pb" "$out/${name}_export.pb")
done

timeout 900 "$PY" - "${files[@]}" <<'PYEOF'
import json, sys, io, contextlib
from pabulib.checker import Checker
files = sys.argv[1:]
buf = io.StringIO()
with contextlib.redirect_stdout(buf):
    res = Checker().process_files(files)
bad = 0
for key, val in res.items():
    if key in ("metadata", "summary"):
        continue
    r = val.get("results") if isinstance(val, dict) else val
    errors = r.get("errors", {}) if isinstance(r, dict) else {}
    warnings = r.get("warnings", {}) if isinstance(r, dict) else {}
    status = "OK" if not errors else "ERRORS"
    if errors:
        bad += 1
    print(f"{status:7} {key}")
    for kind, items in errors.items():
        print(f"    error   {kind}: {list(items.values())[:3]}")
    for kind, items in warnings.items():
        print(f"    warning {kind}: {list(items.values())[:3]}")
print("checker metadata:", json.dumps(res.get("metadata", {})))
sys.exit(1 if bad else 0)
PYEOF
