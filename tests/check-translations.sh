#!/bin/sh
# check-translations.sh: every translatable string of the sources is in each
# language's .po file and translated, with nothing fuzzy.
#
# Usage: check-translations.sh SOURCE_ROOT
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu
root=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The same keywords as meson's i18n "glib" preset.
xgettext --from-code=UTF-8 --add-comments --directory="$root" \
  --files-from="$root/po/POTFILES.in" --output="$work/troupe.pot" \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
  --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
  --flag=g_markup_printf_escaped:1:c-format --flag=g_log:3:c-format \
  --flag=g_print:1:c-format --flag=g_printerr:1:c-format \
  --flag=g_printf:1:c-format --flag=g_fprintf:2:c-format --flag=g_sprintf:2:c-format \
  --flag=g_snprintf:3:c-format

status=0

# Every file with a translatable string must be listed, or its strings are never
# offered to translators.
for file in $(cd "$root" && grep -rlE --include='*.c' --include='*.ui' --include='*.in' \
                --include='*.xml' '(^|[^A-Za-z_])N?_\("|translatable="yes"' src data | sort); do
  if ! grep -qx "$file" "$root/po/POTFILES.in"; then
    echo "not in po/POTFILES.in: $file"
    status=1
  fi
done

for lang in $(grep -v '^#' "$root/po/LINGUAS"); do
  msgmerge --quiet --no-fuzzy-matching --output-file="$work/$lang.po" \
    "$root/po/$lang.po" "$work/troupe.pot"
  stats=$(msgfmt --check --statistics --output-file=/dev/null "$work/$lang.po" 2>&1)
  echo "$lang: $stats"
  case "$stats" in
    *untranslated*|*fuzzy*) status=1 ;;
  esac
done
exit $status
