#!/usr/bin/env bash
# Runs every test: Rust unit, integration and property tests, then the generated Kotlin
# bindings on the JVM against the freshly built library.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== Rust: unit, integration and property tests"
cargo test --workspace --all-targets --locked

echo "== Kotlin bindings on the JVM"
bash scripts/kotlin-tests.sh
