#!/usr/bin/env bash
# Coverage-guided fuzzing of every reader of outside input in the core (fuzz/, README "Fuzzing").
#
#   bash scripts/fuzz.sh [SECONDS_PER_TARGET]      (default 20: the bounded run CI does)
#
# Builds the cargo-fuzz targets once with the nightly toolchain, then runs each in turn for
# SECONDS_PER_TARGET seconds, one process on one core, starting from the committed corpus
# (fuzz/corpus/<target>/). Inputs the fuzzer finds go to a scratch copy
# (fuzz/target/fuzz-corpus/<target>/, kept between local runs), never into the committed
# corpus. Exits non-zero if any target crashed; cargo-fuzz saves each crashing input under
# fuzz/artifacts/<target>/ and prints how to reproduce it.
#
# Without `cargo +nightly` the targets cannot be fuzzed: the script says so and replays the
# committed corpus through the same target code on stable (fuzz/tests/replay.rs), so a
# machine without nightly still proves every target runs and no known input panics.
# cargo-fuzz is installed from crates.io when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

secs="${1:-20}"
if ! [[ "$secs" =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: bash scripts/fuzz.sh [SECONDS_PER_TARGET]" >&2
    exit 2
fi
started=$(date +%s)

replay() {
    echo "fuzz.sh: $1: replaying the committed corpus on stable instead (no fuzzing)" >&2
    (cd fuzz && cargo test --locked --no-default-features --test replay)
    echo "fuzz.sh: corpus replay passed in $(($(date +%s) - started)) s"
}

if ! cargo +nightly --version >/dev/null 2>&1; then
    replay "the nightly toolchain is not installed (cargo +nightly failed; 'rustup toolchain install nightly')"
    exit 0
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "fuzz.sh: cargo-fuzz is missing; installing it from crates.io" >&2
    if ! cargo install --locked cargo-fuzz; then
        replay "cargo-fuzz could not be installed"
        exit 0
    fi
fi

# One build for every target, with the default sanitizer (AddressSanitizer) and debug
# assertions, as `cargo fuzz run` would build each.
cargo +nightly fuzz build
built=$(date +%s)
echo "fuzz.sh: targets built in $((built - started)) s"

mapfile -t targets < <(cargo +nightly fuzz list)
crashed=()
for t in "${targets[@]}"; do
    scratch="fuzz/target/fuzz-corpus/$t"
    mkdir -p "$scratch"
    echo "fuzz.sh: $t for $secs s"
    # -timeout: an input running longer than 30 s is a hang, reported as a crash.
    if ! cargo +nightly fuzz run "$t" "$scratch" "fuzz/corpus/$t" -- \
        -max_total_time="$secs" -timeout=30 -print_final_stats=1; then
        crashed+=("$t")
    fi
done

echo "fuzz.sh: ${#targets[@]} targets, $secs s each, in $(($(date +%s) - started)) s (build $((built - started)) s)"
if ((${#crashed[@]})); then
    echo "fuzz.sh: CRASHED: ${crashed[*]} (inputs under fuzz/artifacts/)" >&2
    exit 1
fi
echo "fuzz.sh: no crash"
