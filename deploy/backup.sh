#!/bin/sh
# A backup of Meent: the database (pg_dump's custom format) and the uploads (MEDIA_ROOT, as a
# tar), into one new folder FOLDER/meent-YYYYMMDDTHHMMSSZ with their checksums.
#
#   deploy/backup.sh FOLDER
#
# DATABASE_URL (postgres://...) and MEDIA_ROOT come from the environment, or else from the
# settings file /etc/meent/meent.env (MEENT_ENV_FILE names another). pg_dump must be of the
# server's major version or newer. Redis holds nothing durable and the search index is rebuilt
# from the database: neither is in it. README, "Backup and restore".
set -eu
umask 077

usage() { echo "usage: $0 FOLDER" >&2; exit 2; }
[ $# -eq 1 ] || usage
parent=$1

# NAME=value lines of a settings file, read without running it as shell.
read_settings() {
    while IFS= read -r line || [ -n "$line" ]; do
        name=${line%%=*}
        value=${line#*=}
        case "$name" in
            DATABASE_URL) [ -n "${DATABASE_URL:-}" ] || DATABASE_URL=$value ;;
            MEDIA_ROOT) [ -n "${MEDIA_ROOT:-}" ] || MEDIA_ROOT=$value ;;
        esac
    done <"$1"
}
env_file=${MEENT_ENV_FILE:-/etc/meent/meent.env}
if { [ -z "${DATABASE_URL:-}" ] || [ -z "${MEDIA_ROOT:-}" ]; } && [ -r "$env_file" ]; then
    read_settings "$env_file"
fi
: "${DATABASE_URL:?set DATABASE_URL (postgres://...) or put it in $env_file}"
: "${MEDIA_ROOT:?set MEDIA_ROOT (the uploads folder) or put it in $env_file}"
[ -d "$MEDIA_ROOT" ] || { echo "$0: MEDIA_ROOT $MEDIA_ROOT is no folder" >&2; exit 1; }

folder="$parent/meent-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$parent"
mkdir "$folder"  # fails when it exists: a backup never overwrites another
# On failure, leave no folder that looks like a backup.
trap 'rm -rf "$folder"' EXIT

pg_dump --format=custom --no-owner --no-privileges --file="$folder/database.dump" "$DATABASE_URL"
tar -C "$MEDIA_ROOT" -czf "$folder/media.tar.gz" .
(cd "$folder" && sha256sum database.dump media.tar.gz >SHA256SUMS)

trap - EXIT
echo "$folder"
