#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The two commands of the README's quick start:
#
#   build-aux/quickstart.sh run    install what is missing, build, and start
#                                  Kassa; a store that does not exist yet is
#                                  made as the demo café first
#   build-aux/quickstart.sh test   install what is missing, build, and run the
#                                  whole test suite headless
#
# Both can be rerun: installed packages and up-to-date builds are skipped.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build="$top/_build"
build_sanitize="$top/_build-sanitize"

# What building and running need, as Debian 12 names it.
run_packages="build-essential pkg-config meson ninja-build gettext
  libglib2.0-dev libgtk-4-dev libgtk-4-bin libadwaita-1-dev libsoup-3.0-dev
  libjson-glib-dev libsqlite3-dev libcairo2-dev libpango1.0-dev
  libsecret-1-dev libqrencode-dev libsodium-dev libcsv-dev libportal-gtk4-dev
  desktop-file-utils appstream"

# What the headless test suite needs on top.
test_packages="xvfb xauth dbus-daemon gnome-keyring libxtst-dev
  poppler-utils zbar-tools sqlite3 clang libclang-rt-14-dev fonts-droid-fallback"

say () {
  printf '\033[1m==> %s\033[0m\n' "$*" >&2
}

missing_packages () {
  for package in "$@"; do
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || printf '%s\n' "$package"
  done
}

install_packages () {
  # shellcheck disable=SC2086,SC2046
  missing=$(missing_packages $*)
  [ -n "$missing" ] || return 0

  say "Installing $(echo $missing | tr '\n' ' ')"
  if [ "$(id -u)" -eq 0 ]; then
    as_root=""
  elif command -v sudo >/dev/null 2>&1; then
    as_root="sudo"
  else
    echo "quickstart: these Debian packages are missing and neither root nor sudo is available:" >&2
    echo "  $missing" >&2
    exit 1
  fi

  $as_root apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

configure_and_build () {
  dir=$1
  shift
  if [ ! -f "$dir/build.ninja" ]; then
    say "Configuring $(basename "$dir")"
    meson setup "$dir" "$top" "$@" >/dev/null
  fi
  say "Building $(basename "$dir")"
  meson compile -C "$dir" >/dev/null
}

run_kassa () {
  configure_and_build "$build"

  # Uninstalled: the settings schema and icons come from the build tree.
  GSETTINGS_SCHEMA_DIR="$build/data"
  XDG_DATA_DIRS="$top/data:${XDG_DATA_DIRS:-/usr/local/share:/usr/share}"
  export GSETTINGS_SCHEMA_DIR XDG_DATA_DIRS

  database=$(resolve_database "$@")
  if [ ! -e "$database" ]; then
    say "Making a demo store in $database"
    # The file did not exist a moment ago: a failed demo leaves nothing
    # behind, so the next run tries again.
    if ! "$build/src/cli/kassa-cli" --database "$database" demo --products 40 --orders 60; then
      rm -f "$database" "$database-wal" "$database-shm"
      exit 1
    fi
  fi

  say "Starting Kassa"
  exec "$build/src/kassa" "$@"
}

# The database Kassa will open, chosen as Kassa chooses it: --database,
# then $KASSA_DATABASE, then kassa.db in the user data folder.
resolve_database () {
  database=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --database|-d)
        [ $# -ge 2 ] && database=$2
        shift
        ;;
      --database=*)
        database=${1#--database=}
        ;;
    esac
    shift
  done
  if [ -z "$database" ]; then
    database=${KASSA_DATABASE:-${XDG_DATA_HOME:-$HOME/.local/share}/kassa/kassa.db}
  fi
  printf '%s\n' "$database"
}

run_tests () {
  configure_and_build "$build"

  # A throw-away home, so no keyring, setting or database of the person
  # running the suite is read or written.
  scratch=$(mktemp -d "${TMPDIR:-/tmp}/kassa-test.XXXXXX")
  trap 'rm -rf "$scratch"' EXIT INT TERM
  mkdir -p "$scratch/home" "$scratch/data" "$scratch/config" "$scratch/cache" "$scratch/runtime"
  chmod 700 "$scratch/runtime"
  HOME="$scratch/home"
  XDG_DATA_HOME="$scratch/data"
  XDG_CONFIG_HOME="$scratch/config"
  XDG_CACHE_HOME="$scratch/cache"
  XDG_RUNTIME_DIR="$scratch/runtime"
  export HOME XDG_DATA_HOME XDG_CONFIG_HOME XDG_CACHE_HOME XDG_RUNTIME_DIR
  unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS KASSA_DATABASE || true

  # The official Stripe Node library checks our webhook signatures from the
  # other side. It comes from the npm registry; without node the tests that
  # use it report themselves skipped.
  if command -v npm >/dev/null 2>&1 && command -v node >/dev/null 2>&1; then
    peer="$build/stripe-peer"
    if [ ! -f "$peer/node_modules/stripe/package.json" ]; then
      say "Installing the Stripe Node library for the signature tests"
      npm install --prefix "$peer" --no-audit --no-fund --silent stripe@23.1.0 >/dev/null 2>&1 ||
        say "Could not install the Stripe Node library; its tests will be skipped"
    fi
    [ -f "$peer/node_modules/stripe/package.json" ] &&
      KASSA_TEST_STRIPE_NODE_MODULES="$peer/node_modules" && export KASSA_TEST_STRIPE_NODE_MODULES
  fi

  say "Running the test suite"
  xvfb-run -a -s '-screen 0 1280x800x24 -nolisten tcp' \
    dbus-run-session -- "$top/build-aux/headless-session.sh" \
    meson test -C "$build" --print-errorlogs --num-processes 2

  # The libraries below the UI again, under AddressSanitizer and UBSan.
  configure_and_build "$build_sanitize" -Dui=false -Db_sanitize=address,undefined -Db_lundef=false
  say "Running the library tests under AddressSanitizer and UndefinedBehaviorSanitizer"
  ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1" \
  LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0" \
  UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
    dbus-run-session -- "$top/build-aux/headless-session.sh" \
    meson test -C "$build_sanitize" --print-errorlogs --num-processes 2 --timeout-multiplier 3

  summarize "$build/meson-logs/testlog.txt" "$build_sanitize/meson-logs/testlog.txt"

  # Every parser of outside input, briefly, under libFuzzer.
  say "Fuzzing each parser for ${KASSA_FUZZ_SECONDS:-15} seconds"
  "$top/build-aux/fuzz.sh" "${KASSA_FUZZ_SECONDS:-15}"
}

# One closing line over both runs, counted from meson's own summaries.
summarize () {
  awk '/^Ok:/ { ok += $2 } /^Fail:/ { fail += $2 } /^Timeout:/ { fail += $2 }
       /^Skipped:/ { skipped += $2 }
       END { printf "kassa tests: %d passed, %d failed, %d skipped\n", ok, fail, skipped }' "$@"
}

case "${1:-}" in
  run)
    shift
    install_packages $run_packages
    run_kassa "$@"
    ;;
  test)
    install_packages $run_packages $test_packages
    run_tests
    ;;
  *)
    echo "Usage: $0 run|test" >&2
    exit 2
    ;;
esac
