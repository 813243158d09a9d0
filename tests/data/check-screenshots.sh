#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Every screenshot the metainfo shows software centres is a PNG in this
# tree: its URL points into the repository's main branch.
set -eu
top=$1
metainfo=$2
prefix=https://raw.githubusercontent.com/kassapos/kassa/main/
urls=$(sed -n 's:.*<image>\(.*\)</image>.*:\1:p' "$metainfo")
[ -n "$urls" ] || { echo "$metainfo has no screenshot" >&2; exit 1; }
for url in $urls; do
  case $url in
    "$prefix"*) path=${url#"$prefix"} ;;
    *) echo "screenshot $url is not in this repository" >&2; exit 1 ;;
  esac
  magic=$(head -c 8 "$top/$path" 2>/dev/null | od -An -tx1 | tr -d ' \n')
  [ "$magic" = "89504e470d0a1a0a" ] || {
    echo "screenshot $path is missing or not a PNG" >&2
    exit 1
  }
done
