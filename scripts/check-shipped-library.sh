#!/usr/bin/env bash
# Checks the library a phone gets, built exactly as it ships: one package, the
# release-size profile, no workspace feature unification (the harness turns on the core's
# `insecure-test-kdf`, so a workspace-wide build would carry test-only code). Fails when
#   - uniffi's bindgen (uniffi_bindgen, clap, askama, goblin) is in the Android or iOS
#     build graph of brobygger-ffi (it lives in the `uniffi-bindgen` crate);
#   - the library exports the core's test-only marker or holds `create_with_test_kdf`;
#   - the stripped library is larger than the budget (SPEC §6: 3 MiB).
# Extra arguments go to `cargo build`; `--features brobygger-core/insecure-test-kdf`
# shows the check failing. About 2 minutes from a cold target directory (an LTO build),
# seconds when the library is up to date.
set -euo pipefail
cd "$(dirname "$0")/.."

budget=3145728
failed=0
fail() {
  echo "FAIL: $*" >&2
  failed=1
}

echo "== Build graph of brobygger-ffi on the phones' targets"
for target in aarch64-linux-android armv7-linux-androideabi x86_64-linux-android aarch64-apple-ios; do
  tree=$(cargo tree --locked -p brobygger-ffi -e normal --target "$target" --prefix none)
  found=$({ grep -oE '^(uniffi_bindgen|clap|clap_[a-z_]+|askama|askama_[a-z_]+|goblin) v[^ ]+' <<<"$tree" || true; } | sort -u | tr '\n' ' ')
  if [ -n "$found" ]; then
    fail "$target build graph holds bindgen crates: $found"
  else
    echo "$target: no uniffi_bindgen, clap, askama or goblin"
  fi
done

echo "== Shipped library: cargo build --locked -p brobygger-ffi --profile release-size --lib $*"
cargo build --locked -p brobygger-ffi --profile release-size --lib "$@" >&2
lib="${CARGO_TARGET_DIR:-target}/release-size/libbrobygger_ffi.so"

# The marker is an exported C function that exists only with `insecure-test-kdf`
# (core/src/testing.rs); the symbol table (not yet stripped) is searched for the
# test-only Rust functions as well.
# (Symbol lists are read into variables first: `nm | grep -q` under pipefail can fail
# on SIGPIPE and hide a hit.)
marker=brobygger_insecure_test_kdf_marker
exported=$(nm -D --defined-only "$lib")
symbols=$(nm -C "$lib")
test_only=$({ grep -E 'create_with_test_kdf|brobygger_core::testing::' <<<"$symbols" || true; } | head -5)
clean=1
if grep -qw "$marker" <<<"$exported"; then
  fail "$lib exports $marker: it was built with the core's insecure-test-kdf feature"
  clean=0
fi
if [ -n "$test_only" ]; then
  fail "$lib holds test-only functions: $test_only"
  clean=0
fi
if [ "$clean" = 1 ]; then
  echo "no test-only code ($marker, create_with_test_kdf, brobygger_core::testing)"
fi

stripped="${CARGO_TARGET_DIR:-target}/size/shipped.so"
mkdir -p "$(dirname "$stripped")"
cp "$lib" "$stripped"
strip --strip-unneeded "$stripped"
size=$(stat -c %s "$stripped")
echo "stripped size: $size bytes (budget $budget, $((budget - size)) to spare)"
if [ "$size" -gt "$budget" ]; then
  fail "stripped library is $size bytes, over the budget of $budget"
fi

if [ "$failed" != 0 ]; then
  exit 1
fi
echo "OK: the shipped library is clean and within budget"
