#!/usr/bin/env bash
# Issue 13's nextest figure: `cargo nextest run --test conformance` against
# `cargo test --test conformance`, in alternating rounds on one machine (both warm:
# the test binary is built first), with min / median / max of the ratio.
# Usage: benches/nextest_ratio.sh [ROUNDS] (default 5). Needs cargo-nextest.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
cargo test --locked --test conformance --no-run >/dev/null 2>&1
time_of() {
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
ratios=()
for ((round = 0; round < rounds; round++)); do
  if ((round % 2 == 0)); then
    t=$(time_of cargo test --locked --test conformance)
    n=$(time_of cargo nextest run --locked --test conformance)
  else
    n=$(time_of cargo nextest run --locked --test conformance)
    t=$(time_of cargo test --locked --test conformance)
  fi
  r=$(echo "scale=2; $n / $t" | bc)
  ratios+=("$r")
  echo "round $((round + 1)): cargo test ${t}s, cargo nextest ${n}s, ratio ${r}"
done
sorted=$(printf '%s\n' "${ratios[@]}" | sort -n)
min=$(echo "$sorted" | head -1)
max=$(echo "$sorted" | tail -1)
median=$(echo "$sorted" | sed -n "$(((rounds + 1) / 2))p")
echo "nextest / cargo test: ${min} / ${median} / ${max} (min / median / max of ${rounds} rounds)"
