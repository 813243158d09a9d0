#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Builds the libFuzzer targets with clang and the sanitizers and runs each
# for SECONDS (default 20) on a copy of its seed corpus. Prints one line of
# figures per target; fails when a target finds a crash.
#
#   build-aux/fuzz.sh [SECONDS]
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build="$top/_build-fuzz"
seconds=${1:-20}

if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" "$top" -Dfuzzing=true -Dui=false -Dtests=false \
    -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
fi
meson compile -C "$build" >/dev/null

work=$(mktemp -d "${TMPDIR:-/tmp}/kassa-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

status=0
for target in "$build"/fuzz/fuzz-*; do
  [ -f "$target" ] && [ -x "$target" ] || continue
  name=${target##*/fuzz-}
  mkdir -p "$work/$name"
  cp "$top/fuzz/corpus/$name"/* "$work/$name"/ 2>/dev/null || true
  if ASAN_OPTIONS="detect_leaks=1:abort_on_error=1" \
     LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0" \
     UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
     "$target" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
       -artifact_prefix="$work/$name-" "$work/$name" >"$work/$name.log" 2>&1; then
    runs=$(grep -Eo 'Done [0-9]+ runs' "$work/$name.log" | tail -1 | grep -Eo '[0-9]+')
    echo "fuzz $name: ${runs:-?} executions in ${seconds}s, no crash"
  else
    echo "fuzz $name: FAILED" >&2
    tail -40 "$work/$name.log" >&2
    mkdir -p "$top/fuzz/crashes"
    cp "$work/$name"-* "$top/fuzz/crashes/" 2>/dev/null || true
    status=1
  fi
done

exit $status
