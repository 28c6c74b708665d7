#!/usr/bin/env bash
# 60-second fuzz run of the pabulib parser (for CI; FUZZ_SECONDS to change).
exec bash "$(dirname "$0")/../../../scripts/fuzz-short.sh" "$(dirname "$0")" parse
