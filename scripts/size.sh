#!/usr/bin/env bash
# Size of the stripped library (x86_64, as a proxy for one Android ABI; SPEC §6: at most
# 3 MB), for the release profile (LTO, one codegen unit, opt-level 3) and the release-size
# profile (the same at opt-level "z"). The SQLite compile options, the chrono-tz zone filter
# and packed relocations come from .cargo/config.toml, as in every build. Then what each
# crate costs in the release-size library (`cargo bloat --crates`, installed when missing),
# and the stripped release-size library against the budget: exits non-zero above it.
# Built per package (-p brobygger-ffi), never workspace-wide: a workspace build would turn
# on the test-only features the harness asks for.
set -euo pipefail
cd "$(dirname "$0")/.."
budget=3145728
target_dir="${CARGO_TARGET_DIR:-target}"
out="$target_dir/size"
mkdir -p "$out"

if ! command -v cargo-bloat >/dev/null; then
  cargo install --locked cargo-bloat >&2
fi

# cargo-bloat 0.12 measures the last artifact cargo reports for the library, and
# brobygger-ffi lists its crate types cdylib first, so it would stop at the rlib with
# "only 'bin', 'dylib' and 'cdylib' crate types are supported" (cargo-bloat PR #109, not
# merged). A `cargo` first on its PATH lists the cdylib last in cargo's JSON messages.
shim=$(mktemp -d)
trap 'rm -rf "$shim"' EXIT
real_cargo=$(command -v cargo)
cat >"$shim/cargo" <<EOF
#!/usr/bin/env bash
set -o pipefail
case " \$* " in
  *" --message-format=json "*)
    "$real_cargo" "\$@" | sed -E 's|"crate_types":\\["cdylib","staticlib","lib"\\](.*)"filenames":\\[("[^"]*"),("[^"]*"),("[^"]*")\\]|"crate_types":["lib","staticlib","cdylib"]\\1"filenames":[\\4,\\3,\\2]|' ;;
  *) exec "$real_cargo" "\$@" ;;
esac
EOF
chmod +x "$shim/cargo"

# First, since cargo-bloat builds with its own profile setting (strip = false), and the
# table's builds below then leave the usual library in target/.
bloat=$(PATH="$shim:$PATH" cargo-bloat bloat --locked --profile release-size -p brobygger-ffi --lib --crates -n 0)

printf '| profile | unstripped bytes | stripped bytes | stripped MiB |\n| --- | --- | --- | --- |\n'
for profile in release release-size; do
  cargo build --locked --profile "$profile" -p brobygger-ffi --lib >&2
  cp "$target_dir/$profile/libbrobygger_ffi.so" "$out/$profile.so"
  strip --strip-unneeded "$out/$profile.so"
  unstripped=$(stat -c %s "$target_dir/$profile/libbrobygger_ffi.so")
  stripped=$(stat -c %s "$out/$profile.so")
  printf '| %s | %s | %s | %s |\n' "$profile" "$unstripped" "$stripped" "$(awk "BEGIN {printf \"%.2f\", $stripped/1048576}")"
done

printf '\nPer crate, release-size (cargo bloat --crates: code in .text; the C code of SQLite and ring is\n[Unknown]; "File" is the share of the unstripped file cargo-bloat reads):\n\n%s\n\n' "$bloat"

# $stripped is the release-size library, the last row of the table.
printf 'Total: %s bytes stripped (release-size) of a budget of %s bytes (%s%%)\n' \
  "$stripped" "$budget" "$(awk "BEGIN {printf \"%.1f\", 100*$stripped/$budget}")"
if [ "$stripped" -gt "$budget" ]; then
  echo "FAIL: the stripped library is $((stripped - budget)) bytes over the budget" >&2
  exit 1
fi
