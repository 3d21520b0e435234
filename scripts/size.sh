#!/usr/bin/env bash
# Size of the stripped library (x86_64, as a proxy for one Android ABI; SPEC §6: at most
# 3 MB), for the release profile (LTO, one codegen unit, opt-level 3) and the release-size
# profile (the same at opt-level "z"). The SQLite compile options, the chrono-tz zone filter
# and packed relocations come from .cargo/config.toml, as in every build.
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/size
mkdir -p "$out"
printf '| profile | unstripped bytes | stripped bytes | stripped MiB |\n| --- | --- | --- | --- |\n'
for profile in release release-size; do
  cargo build --locked --profile "$profile" -p brobygger-ffi --lib >&2
  cp "target/$profile/libbrobygger_ffi.so" "$out/$profile.so"
  strip --strip-unneeded "$out/$profile.so"
  unstripped=$(stat -c %s "target/$profile/libbrobygger_ffi.so")
  stripped=$(stat -c %s "$out/$profile.so")
  printf '| %s | %s | %s | %s |\n' "$profile" "$unstripped" "$stripped" "$(awk "BEGIN {printf \"%.2f\", $stripped/1048576}")"
done
