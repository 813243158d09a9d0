#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# A catalogue is complete when it compiles cleanly and has no untranslated
# or fuzzy message left.
set -eu
po=$1
msgfmt --check --output-file=/dev/null "$po"
untranslated=$(msgattrib --untranslated --no-obsolete "$po" | grep -c '^msgid ' || true)
fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$po" | grep -c '^msgid ' || true)
if [ "$untranslated" -ne 0 ] || [ "$fuzzy" -ne 0 ]; then
  echo "$po: $untranslated untranslated and $fuzzy fuzzy messages" >&2
  msgattrib --untranslated --only-fuzzy --no-obsolete "$po" >&2 || true
  exit 1
fi
