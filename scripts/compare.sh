#!/usr/bin/env bash
# Issue 15's table, from one run: the JVM benchmark (bench/jvm, issue 8) at 2 000, 10 000 and
# 30 000 notes — Brobygger through the generated Kotlin bindings beside plain SQLite and
# SQLCipher through JDBC, p50, p99 and ratios, how each cost grows, peak memory — then the
# Rust benches (the same lines beside plain SQLite on the core's own schema, the WAL frames a
# save writes, the peak heap of a search, PBKDF2 beside Argon2id, today()), and the library
# size. Every line is measured interleaved with the sides it is compared to.
#
#   bash scripts/compare.sh                  everything (about 15 minutes on the 2-core VM, more with a cold build)
#   bash scripts/compare.sh --jvm            the JVM table only (8 to 12 minutes; the first run builds fixtures)
#   bash scripts/compare.sh --rust           the Rust benches only (about 2 minutes)
#   bash scripts/compare.sh --sqlcipher-rust also plain SQLite vs SQLCipher 4 in Rust (bench/sqlcipher;
#                                            builds SQLCipher and a vendored OpenSSL the first time)
#   bash scripts/compare.sh --no-size        without the library size (scripts/size.sh builds two profiles)
set -euo pipefail
cd "$(dirname "$0")/.."

jvm=true
rust=true
sqlcipher_rust=false
size=true
for a in "$@"; do
  case "$a" in
    --jvm) rust=false ;;
    --rust) jvm=false ;;
    --sqlcipher-rust) sqlcipher_rust=true ;;
    --no-size) size=false ;;
    *) echo "unknown option $a" >&2; exit 2 ;;
  esac
done

if $jvm; then
  log="$(mktemp)"
  # The JMH progress goes to the log; the report (Markdown) is printed.
  if ! bash scripts/jvm-bench.sh >"$log" 2>&1; then
    tail -40 "$log" >&2
    exit 1
  fi
  sed -n '/^## Brobygger through the Kotlin bindings/,$p' "$log"
  rm -f "$log"
  echo
fi

if $rust; then
  cargo bench --locked -q -p brobygger-core --bench vault 2>/dev/null
  echo
  cargo bench --locked -q -p brobygger-core --bench agenda -- --notes 10000 2>/dev/null
  echo
fi

if $sqlcipher_rust; then
  echo "## Plain SQLite vs SQLCipher 4 in Rust (page encryption, default KDF)"
  cargo run -q --release --manifest-path bench/sqlcipher/Cargo.toml
  echo
fi

if $size; then
  echo "## Library size"
  bash scripts/size.sh 2>/dev/null
fi
