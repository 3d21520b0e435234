#!/usr/bin/env bash
# Runs every test: the Rust suites (unit, integration, property tests, the crash and I/O-fault
# harnesses, the bench binaries in smoke mode), the generated Kotlin bindings on the JVM, the
# Android shell and platform layers (Compose UI tests, Robolectric), the Swift checks possible
# on Linux, the JVM benchmark in quick mode, a short fuzzing run, and the check that the library
# a phone gets holds no test-only code and stays within its size budget.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
step() { echo; echo "== $1 ($(( SECONDS - started )) s in)"; }

step "Rust: unit, integration and property tests, harnesses, bench smoke runs"
cargo test --workspace --all-targets --locked

step "Kotlin bindings on the JVM"
bash scripts/kotlin-tests.sh

step "Android shell and platform layers on the JVM (Compose UI tests, Robolectric)"
bash scripts/android-tests.sh

step "iOS: Swift syntax check and the generated Swift API against its snapshot"
bash scripts/swift-check.sh

step "JVM benchmark, quick mode (proves it runs; times nothing)"
bash scripts/jvm-bench.sh --quick

step "Fuzzing, a short bounded run of every target"
bash scripts/fuzz.sh 20

step "Shipped library: no test-only code, no bindgen crates, within 3 MiB"
bash scripts/check-shipped-library.sh

echo
echo "All tests passed in $(( SECONDS - started )) s."
