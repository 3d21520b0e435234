#!/usr/bin/env bash
# Builds and tests the Android app's layers that run on a plain JVM, against the host build of the
# real core through JNA (the app module itself needs the Android SDK and is not built here):
#   android/shell     Compose screens + state holders, UI-tested headless (Compose Multiplatform desktop);
#                     screenshots go to target/screenshots/
#   android/platform  android.* code (SmsManager, AlarmManager, receivers, Keystore specs) under
#                     Robolectric, API 35 and (a second JVM) API 34
# Extra arguments go to Maven (e.g. -o once ~/.m2 is filled; -pl shell -am for one layer).
# BROBYGGER_DOCS=1 also copies the screenshots shown in android/README.md to android/docs/.
# The first run downloads about 1 GB from Maven Central into ~/.m2 (Robolectric's android-all jars
# are most of it); Robolectric itself then runs offline from target/robolectric-android-all.
set -euo pipefail
cd "$(dirname "$0")/.."

# The same library and bindings as scripts/kotlin-tests.sh: when it has just run, both steps are no-ops.
cargo build --locked -q -p brobygger-ffi --lib
lib="$PWD/target/debug/libbrobygger_ffi.so"
out="$PWD/target/bindings/kotlin"
if [ -z "$(find "$out" -name '*.kt' -newer "$lib" 2>/dev/null)" ]; then
  echo "== Generating the Kotlin bindings into $out"
  # The generator is its own workspace crate now; older trees had it as a bin of brobygger-ffi.
  if cargo metadata --locked --no-deps --format-version 1 | grep -q '"name":"uniffi-bindgen","version"'; then
    bindgen=(cargo run --locked -q -p uniffi-bindgen --)
  else
    bindgen=(cargo run --locked -q -p brobygger-ffi --bin uniffi-bindgen --)
  fi
  rm -rf "$out"
  "${bindgen[@]}" generate --library "$lib" --language kotlin --out-dir "$out" --no-format
fi

echo "== Android shell (Compose desktop, headless) and platform (Robolectric) on the JVM"
mvn -B -ntp -f android/pom.xml test \
  -Dbrobygger.bindings="$out" -Dbrobygger.lib="$(dirname "$lib")" "$@"

if compgen -G "target/screenshots/*.png" >/dev/null; then
  echo "Screenshots in $PWD/target/screenshots/:"
  ls -1 target/screenshots/*.png
  if [ "${BROBYGGER_DOCS:-}" = 1 ]; then
    mkdir -p android/docs
    for s in setup-recovery-key unlock-wrong-pin today booking-preview reminders-unknown note-final today-font-200 \
      figures figures-trend figures-font-200 survey survey-wrong-pin survey-font-200 backup restore audit; do
      cp "target/screenshots/$s.png" android/docs/
    done
    echo "Copied to android/docs/"
  fi
fi
