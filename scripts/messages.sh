#!/usr/bin/env bash
# Re-extract the interface strings into the English catalogue and compile it.
# The msgids are Chinese (docs/decisions/0001-chinese-msgids.md); a new string arrives with an
# empty msgstr (or a "fuzzy" guess from a similar old one) in
# lianqi/locale/en/LC_MESSAGES/django.po. Translate it, clear the fuzzy flag, and run this again
# so that django.mo matches. Needs the virtualenv (scripts/test.sh makes it) and GNU gettext.
# With --check, also fail when any entry is untranslated or fuzzy.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${LIANQI_VENV:-.venv}"
PY="$VENV/bin/python"
PO=lianqi/locale/en/LC_MESSAGES/django.po
if [ ! -x "$PY" ]; then
  echo "No virtualenv at $VENV: run scripts/test.sh once to create it." >&2
  exit 1
fi

"$PY" manage.py makemessages -l en --add-location=file --no-obsolete \
  --ignore=.venv --ignore="$VENV" --ignore=var --ignore=bench --ignore=build \
  --ignore=test-artifacts --ignore=node_modules
"$PY" manage.py compilemessages -l en --ignore=.venv --ignore="$VENV"
msgfmt --check --statistics -o /dev/null "$PO"

if [ "${1:-}" = "--check" ]; then
  untranslated="$(msgattrib --untranslated --no-obsolete "$PO")"
  fuzzy="$(msgattrib --only-fuzzy --no-obsolete "$PO")"
  if [ -n "$untranslated$fuzzy" ]; then
    echo "$PO has untranslated or fuzzy entries:" >&2
    printf '%s\n%s\n' "$untranslated" "$fuzzy" | grep '^msgid' | grep -v '^msgid ""$' >&2 || true
    exit 1
  fi
fi
