#!/usr/bin/env bash
# Generates the Swift bindings into target/bindings/swift from the freshly built FFI
# library. On Linux they cannot be compiled (no Swift toolchain): scripts/swift-check.sh
# checks their API against ios/api/BrobyggerCore.api; the Mac CI compiles them.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --locked -p brobygger-ffi --lib
case "$(uname -s)" in
  Darwin) lib="$PWD/target/debug/libbrobygger_ffi.dylib" ;;
  *) lib="$PWD/target/debug/libbrobygger_ffi.so" ;;
esac
out="$PWD/target/bindings/swift"
rm -rf "$out"
cargo run --locked -q -p uniffi-bindgen -- \
  generate --library "$lib" --language swift --out-dir "$out" --no-format
ls "$out"
