#!/usr/bin/env bash
# Fail unless the Japanese catalogue translates every message in the source, none fuzzy.
# Runs makemessages on a temporary copy of src/kizuki, so the repository's .po is not touched.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
catalogue=src/kizuki/locale/ja/LC_MESSAGES/django.po

if [ ! -f "$repo/$catalogue" ]; then
    echo "i18n-check: $catalogue does not exist." >&2
    echo "Create it with \`make messages\`, translate every msgstr, and commit it." >&2
    exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -R "$repo/src/kizuki" "$tmp/kizuki"
"$repo/scripts/makemessages.sh" "$tmp/kizuki"
po="$tmp/kizuki/locale/ja/LC_MESSAGES/django.po"

echo "i18n-check: $catalogue after makemessages:"
# Name the repository's catalogue, not the temporary copy, in msgfmt's messages.
status=0
if ! msgfmt --statistics --check --output-file /dev/null "$po" 2>&1 | sed "s|$tmp/kizuki/|src/kizuki/|"; then
    status=1
fi

# One line per message: its msgid, then where it is used.
list_messages() {
    msgattrib --no-obsolete --no-wrap "$@" "$po" | awk -v RS= '
        {
            where = ""; id = ""; in_id = 0
            n = split($0, lines, "\n")
            for (i = 1; i <= n; i++) {
                line = lines[i]
                if (line ~ /^#: /) { where = where (where ? " " : "") substr(line, 4) }
                else if (line ~ /^msgid "/) { in_id = 1; id = substr(line, 8, length(line) - 8) }
                else if (in_id && line ~ /^"/) { id = id substr(line, 2, length(line) - 2) }
                else { in_id = 0 }
            }
            if (id != "") { printf "  %s    [%s]\n", id, where }
        }'
}
untranslated=$(list_messages --untranslated --no-fuzzy)
fuzzy=$(list_messages --only-fuzzy)

if [ -n "$untranslated" ] || [ -n "$fuzzy" ]; then
    if [ -n "$untranslated" ]; then
        printf 'Untranslated (%s):\n%s\n' "$(wc -l <<<"$untranslated")" "$untranslated" >&2
    fi
    if [ -n "$fuzzy" ]; then
        printf 'Fuzzy (%s):\n%s\n' "$(wc -l <<<"$fuzzy")" "$fuzzy" >&2
    fi
    echo "Run \`make messages\`, translate the entries above in $catalogue," \
        "and remove their fuzzy flags." >&2
    status=1
fi
if [ "$status" -ne 0 ]; then
    exit 1
fi
echo "i18n-check: the Japanese translation is complete."
