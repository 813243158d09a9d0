#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs a command inside a fresh D-Bus session with an unlocked Secret
# Service (gnome-keyring) and stops the keyring afterwards.
set -eu

# The keyring reads its unlock password on standard input; this keyring
# lives in the test run's throw-away home and is deleted with it.
printf '%s' "kassa-test-keyring" |
  gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1 &
keyring=$!
trap 'kill "$keyring" 2>/dev/null || true' EXIT INT TERM

# Wait, boundedly, until the keyring owns its name on the bus.
tries=0
until gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
        --method org.freedesktop.DBus.NameHasOwner org.freedesktop.secrets 2>/dev/null |
      grep -q true; do
  tries=$((tries + 1))
  if [ "$tries" -gt 50 ]; then
    echo "headless-session: the Secret Service did not start" >&2
    exit 1
  fi
  sleep 0.1
done

"$@"
