#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Every source with translatable strings is listed in po/POTFILES.in, so no
# message escapes the catalogue (and so the German translation).
set -eu
top=$1
cd "$top"
listed=$(grep -v '^#' po/POTFILES.in | sed '/^$/d' | sort -u)
found=$( (grep -rlE '(^|[^A-Za-z0-9_])(N_|C_|NC_|_)\(' src --include='*.c'
          grep -rl 'translatable="yes"' data --include='*.ui'
          ls data/*.desktop.in data/*.metainfo.xml.in data/*.gschema.xml) | sort -u)
missing=$(printf '%s\n' "$found" | comm -23 - "$(printf '%s\n' "$listed" > "${TMPDIR:-/tmp}/kassa-potfiles.$$"; echo "${TMPDIR:-/tmp}/kassa-potfiles.$$")")
rm -f "${TMPDIR:-/tmp}/kassa-potfiles.$$"
if [ -n "$missing" ]; then
  echo "po/POTFILES.in does not list these files with translatable strings:" >&2
  printf '  %s\n' $missing >&2
  exit 1
fi
for file in $listed; do
  [ -f "$file" ] || { echo "po/POTFILES.in lists $file, which does not exist" >&2; exit 1; }
done
