#!/usr/bin/env bash
# On a Mac with Xcode and the iOS Rust targets
#   rustup target add aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios
# builds the core for device and simulator as the phones ship it (one package, no
# test-only feature unified in, the release-size profile), generates the Swift bindings
# from the device library, and writes what ios/Package.swift consumes:
#   ios/build/BrobyggerCoreFFI.xcframework   static library + C header + module map
#   ios/build/Generated/BrobyggerCore.swift  the generated Swift module
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ "$(uname -s)" != Darwin ]; then
  echo "build-xcframework.sh needs macOS with Xcode (xcodebuild, lipo)" >&2
  exit 1
fi
targets=(aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios)
missing=()
for t in "${targets[@]}"; do
  rustup target list --installed | grep -qx "$t" || missing+=("$t")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "missing Rust targets: ${missing[*]} (rustup target add ${missing[*]})" >&2
  exit 1
fi

# The C parts (SQLite, ring) for the same minimum iOS as the package.
export IPHONEOS_DEPLOYMENT_TARGET=17.0
for t in "${targets[@]}"; do
  cargo build --locked --profile release-size -p brobygger-ffi --lib --target "$t"
done

out=ios/build
rm -rf "$out"
mkdir -p "$out/Generated" "$out/headers" "$out/swift"
cargo run --locked -q -p uniffi-bindgen -- generate \
  --library target/aarch64-apple-ios/release-size/libbrobygger_ffi.a --language swift --out-dir "$out/swift"
mv "$out/swift/BrobyggerCore.swift" "$out/Generated/"
cp "$out/swift/BrobyggerCoreFFI.h" "$out/headers/"
cp "$out/swift/BrobyggerCoreFFI.modulemap" "$out/headers/module.modulemap"
lipo -create \
  target/aarch64-apple-ios-sim/release-size/libbrobygger_ffi.a \
  target/x86_64-apple-ios/release-size/libbrobygger_ffi.a \
  -output "$out/libbrobygger_ffi_sim.a"
xcodebuild -create-xcframework \
  -library target/aarch64-apple-ios/release-size/libbrobygger_ffi.a -headers "$out/headers" \
  -library "$out/libbrobygger_ffi_sim.a" -headers "$out/headers" \
  -output "$out/BrobyggerCoreFFI.xcframework"
ls -l "$out/BrobyggerCoreFFI.xcframework" "$out/Generated"
