#!/usr/bin/env bash
# Builds the FFI library, generates the Kotlin bindings from it, and runs the JUnit suite
# in tests/kotlin through Maven (kotlin-maven-plugin, JNA, JUnit 5 from Maven Central).
set -euo pipefail
cd "$(dirname "$0")/.."

# The debug build: the test suite has just built it, and ring and SQLite are optimised
# even there (see Cargo.toml), so the real 600 000-round PIN KDF stays quick.
cargo build --locked -p brobygger-ffi --lib
lib="$PWD/target/debug/libbrobygger_ffi.so"
out="$PWD/target/bindings/kotlin"
rm -rf "$out"
cargo run --locked -q -p uniffi-bindgen -- \
  generate --library "$lib" --language kotlin --out-dir "$out" --no-format

mvn_flags=(-B -ntp -f tests/kotlin/pom.xml)
mvn "${mvn_flags[@]}" test \
  -Dbrobygger.bindings="$out" \
  -Djna.library.path="$(dirname "$lib")"
