#!/usr/bin/env bash
# One run, side by side: Brobygger's encrypted store against plain SQLite with the same
# schema (the vault and agenda benches), and plain SQLite against SQLCipher 4 on the same
# workload (bench/sqlcipher; builds SQLCipher and a vendored OpenSSL the first time).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "## Brobygger vs plain SQLite (same schema, same workload)"
cargo bench --locked -q -p brobygger-core --bench vault 2>/dev/null | sed -n '/^|/p;/Peak/p'
echo
cargo bench --locked -q -p brobygger-core --bench agenda 2>/dev/null | sed -n '/^|/p'
echo
echo "## Plain SQLite vs SQLCipher 4 (page encryption, default KDF)"
cargo run -q --release --manifest-path bench/sqlcipher/Cargo.toml
echo
echo "## Library size"
bash scripts/size.sh 2>/dev/null
