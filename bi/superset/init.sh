#!/usr/bin/env bash
# Initialise a Superset instance headless in SUPERSET_HOME: a generated secret key and admin
# password (files readable by their owner only, never printed), the metadata database brought to
# the installed version, the admin user, and Superset's roles. Safe to run again: what exists is kept.
set -euo pipefail
: "${SUPERSET_HOME:?set SUPERSET_HOME to the instance directory}"
SUPERSET_BIN=${SUPERSET_BIN:-.cache/superset/venv/bin}
mkdir -p "$SUPERSET_HOME"
umask 077
for secret in secret_key admin_password; do
    test -s "$SUPERSET_HOME/$secret" || "$SUPERSET_BIN/python" -c 'import secrets; print(secrets.token_urlsafe(32))' >"$SUPERSET_HOME/$secret"
done
export SUPERSET_HOME
export SUPERSET_CONFIG_PATH=${SUPERSET_CONFIG_PATH:-$(cd "$(dirname "$0")" && pwd)/superset_config.py}
log="$SUPERSET_HOME/init.log"
step() {
    if ! "$SUPERSET_BIN/superset" "$@" >>"$log" 2>&1; then
        echo "superset $1 failed; its output is in $log" >&2
        exit 1
    fi
}
# Skipped while the metadata database is newer than the installed Superset (about a minute).
if [ ! -f "$SUPERSET_HOME/superset.db" ] || [ "$SUPERSET_BIN/superset" -nt "$SUPERSET_HOME/superset.db" ]; then
    step db upgrade
    step fab create-admin --username admin --firstname Streamgauge --lastname Admin --email admin@localhost \
        --password "$(cat "$SUPERSET_HOME/admin_password")"
    step init
    touch "$SUPERSET_HOME/superset.db"
fi
