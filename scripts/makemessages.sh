#!/usr/bin/env bash
# Extract the translatable strings of a copy of the kizuki package into its Japanese catalogue.
# Usage: scripts/makemessages.sh PACKAGE_DIR   (src/kizuki, or a temporary copy of it)
# The same options serve `make messages` and `make i18n-check`, so the check sees what an
# update would produce.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
package_dir=$1

# Without a settings module Django keeps the catalogue inside PACKAGE_DIR/locale; with one it
# would write to settings.LOCALE_PATHS, i.e. the real catalogue even when run on a copy.
unset DJANGO_SETTINGS_MODULE
mkdir -p "$package_dir/locale"
cd "$package_dir"
"$repo/.venv/bin/django-admin" makemessages --locale ja --domain django \
    --no-obsolete --add-location file --ignore 'migrations/*' --verbosity 0
