#!/usr/bin/env bash
# Generates the Swift bindings (they cannot be compiled on this Linux machine; the iOS
# project in ios/ compiles them with Xcode).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --locked -p brobygger-ffi --lib
out="$PWD/target/bindings/swift"
rm -rf "$out"
cargo run --locked -q -p uniffi-bindgen -- \
  generate --library "$PWD/target/debug/libbrobygger_ffi.so" --language swift --out-dir "$out" --no-format
ls "$out"
