#!/usr/bin/env bash
# The JVM benchmark (bench/jvm): Brobygger through the generated Kotlin bindings (JNA), as the
# Android shell calls it, side by side with plain SQLite (org.xerial:sqlite-jdbc) and SQLCipher
# (io.github.willena:sqlite-jdbc, SQLCipher 4 mode) through JDBC, under JMH (Maven Central).
#
#   bash scripts/jvm-bench.sh           the full run: 2 000, 10 000 and 30 000 notes (fixtures are
#                                       built once per library build, in target/jvm-bench)
#   bash scripts/jvm-bench.sh --quick   for CI: a small workload, one short iteration; proves every
#                                       line runs and every side returns the same ids (no timings)
# Further options go to the benchmark: --sizes 2000,10000  --lines 'save|today'  --no-memory
#   --report-only (the last run's report again). The report compares Brobygger's figures with
#   bench/jvm/results/before.md (the figures before the paging API) in its last column.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=false
for a in "$@"; do
  if [ "$a" = --quick ]; then quick=true; fi
done

target="${CARGO_TARGET_DIR:-$PWD/target}"
if $quick; then
  # The debug library scripts/kotlin-tests.sh builds too: quick mode times nothing.
  cargo build --locked -p brobygger-ffi --lib
  libdir="$target/debug"
  out="$target/bindings/kotlin-jvm-bench-debug"
  fixtures="$target/jvm-bench/quick"
else
  cargo build --locked --release -p brobygger-ffi --lib
  libdir="$target/release"
  out="$target/bindings/kotlin-release"
  fixtures="$target/jvm-bench/fixtures"
fi

# uniffi-bindgen is its own workspace package once it has moved there; before, a bin of brobygger-ffi.
if cargo metadata --locked --no-deps --format-version 1 \
  | python3 -c 'import json, sys; sys.exit(0 if any(p["name"] == "uniffi-bindgen" for p in json.load(sys.stdin)["packages"]) else 1)'; then
  bindgen=(cargo run --locked -q -p uniffi-bindgen --)
else
  bindgen=(cargo run --locked -q -p brobygger-ffi --bin uniffi-bindgen --)
fi
rm -rf "$out"
"${bindgen[@]}" generate --library "$libdir/libbrobygger_ffi.so" --language kotlin --out-dir "$out" --no-format

# A stale driver jar beside the current one would put two org.sqlite.JDBC in one class loader.
rm -rf bench/jvm/target/drivers
mvn -B -ntp -q -Dstyle.color=never -f bench/jvm/pom.xml package -Dbrobygger.bindings="$out"

java -Djna.library.path="$libdir" -Dbrobygger.bench.drivers="$PWD/bench/jvm/target/drivers" \
  -jar bench/jvm/target/jvm-bench.jar --fixtures "$fixtures" --before bench/jvm/results/before.md "$@"
