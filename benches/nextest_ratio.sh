#!/usr/bin/env bash
# Issue 13's nextest figure: `cargo nextest run --test conformance` against
# `cargo test --test conformance`, in alternating rounds on one machine (both warm:
# the test binary is built first), with min / median / max of the ratio.
#
# Then nextest's own floor: the same number of tests that do nothing, in a throw-away
# libtest-mimic crate (built in a temporary directory, with this repository's lock
# file), run by nextest. What nextest spends there is spent whatever the tests do: it
# bounds the ratio any test binary can reach on this machine.
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
summary() {
  local sorted
  sorted=$(printf '%s\n' "$@" | sort -n)
  echo "$(echo "$sorted" | head -1) / $(echo "$sorted" | sed -n "$((($# + 1) / 2))p") / $(echo "$sorted" | tail -1)"
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
echo "nextest / cargo test: $(summary "${ratios[@]}") (min / median / max of ${rounds} rounds)"

# The floor: as many no-op tests as the conformance suite has.
count=$(cargo test --locked --test conformance -- --list 2>/dev/null | grep -c ': test$')
floor=$(mktemp -d)
trap 'rm -rf "$floor"' EXIT
mkdir -p "$floor/src" "$floor/tests"
cp Cargo.lock "$floor/"
version=$(grep -A1 '^name = "libtest-mimic"$' Cargo.lock | sed -n 's/^version = "\(.*\)"$/\1/p')
cat >"$floor/Cargo.toml" <<TOML
[package]
name = "nextest-floor"
version = "0.1.0"
edition = "2024"
[dev-dependencies]
libtest-mimic = "=$version"
[[test]]
name = "noop"
harness = false
TOML
: >"$floor/src/lib.rs"
cat >"$floor/tests/noop.rs" <<RUST
fn main() {
    let args = libtest_mimic::Arguments::from_args();
    let trials = (0..$count)
        .map(|i| libtest_mimic::Trial::test(format!("t{i:04}"), || Ok(())))
        .collect();
    libtest_mimic::run(&args, trials).exit();
}
RUST
(cd "$floor" && CARGO_TARGET_DIR="$floor/target" cargo test --test noop --no-run >/dev/null 2>&1)
floors=()
for ((round = 0; round < rounds; round++)); do
  f=$(cd "$floor" && CARGO_TARGET_DIR="$floor/target" time_of cargo nextest run --test noop)
  floors+=("$f")
done
echo "nextest floor, ${count} no-op tests: $(summary "${floors[@]}") s (min / median / max)"
