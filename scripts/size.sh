#!/usr/bin/env bash
# Size of the stripped release library (x86_64, as a proxy for one Android ABI; SPEC §6:
# at most 3 MB). The release profile already uses LTO and one codegen unit; chrono-tz is
# built with only the zones Brobygger uses (Europe/* and UTC) through its build-time filter.
set -euo pipefail
cd "$(dirname "$0")/.."
export CHRONO_TZ_TIMEZONE_FILTER="${CHRONO_TZ_TIMEZONE_FILTER:-(Europe/.*|UTC)}"
cargo build --locked --release -p brobygger-ffi --lib
out=target/size
mkdir -p "$out"
cp target/release/libbrobygger_ffi.so "$out/libbrobygger_ffi.so"
strip --strip-unneeded "$out/libbrobygger_ffi.so"
unstripped=$(stat -c %s target/release/libbrobygger_ffi.so)
stripped=$(stat -c %s "$out/libbrobygger_ffi.so")
printf '| library | bytes | MiB |\n| --- | --- | --- |\n'
printf '| libbrobygger_ffi.so (release, LTO) | %s | %.2f |\n' "$unstripped" "$(echo "$unstripped/1048576" | bc -l)"
printf '| stripped | %s | %.2f |\n' "$stripped" "$(echo "$stripped/1048576" | bc -l)"
