#!/usr/bin/env bash
# What can be checked of the iOS shell on Linux, where no Swift compiler exists:
#   1. every hand-written .swift file under ios/ parses with tree-sitter's Swift grammar
#      (ERROR / MISSING nodes are reported as file:line:column and fail the run);
#   2. the Swift bindings are generated from the freshly built FFI library;
#   3. their public API (types, functions, properties, enum cases), normalised, equals the
#      committed snapshot ios/api/BrobyggerCore.api; a difference fails with a diff.
# First it shows that both checks can fail (a broken file, a changed API: swift_check.py selftest).
# Compiling, linking and running the Swift tests is the Mac CI's job (ios/ci/ios.yml).
#
#   bash scripts/swift-check.sh               check
#   bash scripts/swift-check.sh --update-api  rewrite the snapshot after a deliberate API change
set -euo pipefail
cd "$(dirname "$0")/.."

update=()
case "${1:-}" in
  "") ;;
  --update-api) update=(--update) ;;
  *) echo "usage: $0 [--update-api]" >&2; exit 2 ;;
esac

# tree-sitter (the Python binding) and the Swift grammar, both from PyPI, pinned to
# versions that work together (the grammar's ABI 15 needs tree-sitter >= 0.25).
pins=(tree-sitter==0.25.2 tree-sitter-swift==0.7.4)
python=python3
have_pins() {
  "$python" - "${pins[@]}" <<'EOF'
import sys
from importlib.metadata import version, PackageNotFoundError
try:
    ok = all(version(n) == v for n, v in (p.split("==") for p in sys.argv[1:]))
except PackageNotFoundError:
    ok = False
sys.exit(0 if ok else 1)
EOF
}
if ! have_pins; then
  echo "== installing ${pins[*]} from PyPI"
  if ! PIP_ROOT_USER_ACTION=ignore python3 -m pip install --user --quiet --disable-pip-version-check "${pins[@]}"; then
    # A Python that refuses user installs (PEP 668): a private virtual environment instead.
    venv="$PWD/target/swift-check-venv"
    python3 -m venv "$venv"
    PIP_ROOT_USER_ACTION=ignore "$venv/bin/pip" install --quiet --disable-pip-version-check "${pins[@]}"
    python="$venv/bin/python"
  fi
  have_pins
fi

echo "== The checks themselves: a broken file and a changed API must fail"
"$python" ios/scripts/swift_check.py selftest

echo "== Swift syntax (tree-sitter-swift) of the hand-written files under ios/"
"$python" ios/scripts/swift_check.py syntax ios

echo "== Swift bindings"
bash scripts/swift-bindings.sh >/dev/null

echo "== Swift API snapshot (ios/api/BrobyggerCore.api)"
"$python" ios/scripts/swift_check.py api target/bindings/swift/BrobyggerCore.swift ios/api/BrobyggerCore.api "${update[@]}"
