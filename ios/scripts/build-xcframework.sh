#!/usr/bin/env bash
# On a Mac with Xcode and the iOS Rust targets:
#   rustup target add aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios
# Builds the core for device and simulator, generates the Swift bindings and wraps the
# static libraries into build/BrobyggerCoreFFI.xcframework. The library is built as the
# phones ship it: one package (no test-only feature unified in), the release-size profile.
set -euo pipefail
cd "$(dirname "$0")/../.."
for t in aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios; do
  cargo build --locked --profile release-size -p brobygger-ffi --lib --target "$t"
done
out=ios/build
rm -rf "$out" && mkdir -p "$out/Generated" "$out/headers"
cargo run --locked -q -p uniffi-bindgen -- generate \
  --library target/aarch64-apple-ios/release-size/libbrobygger_ffi.a --language swift --out-dir "$out/swift"
mv "$out/swift/BrobyggerCore.swift" "$out/Generated/"
cp "$out/swift/BrobyggerCoreFFI.h" "$out/headers/"
cp "$out/swift/BrobyggerCoreFFI.modulemap" "$out/headers/module.modulemap"
lipo -create target/aarch64-apple-ios-sim/release-size/libbrobygger_ffi.a target/x86_64-apple-ios/release-size/libbrobygger_ffi.a \
  -output "$out/libbrobygger_ffi_sim.a"
xcodebuild -create-xcframework \
  -library target/aarch64-apple-ios/release-size/libbrobygger_ffi.a -headers "$out/headers" \
  -library "$out/libbrobygger_ffi_sim.a" -headers "$out/headers" \
  -output "$out/BrobyggerCoreFFI.xcframework"
