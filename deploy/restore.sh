#!/bin/sh
# Restore a backup of deploy/backup.sh into an EMPTY database and an empty (or new) uploads folder.
#
#   DATABASE_URL=postgres://.../meent_restored MEDIA_ROOT=/srv/meent/media deploy/restore.sh BACKUP
#
# BACKUP is a folder that backup.sh made. Make the database first (createdb -O meent NAME); the
# script refuses one that has tables, and a MEDIA_ROOT with files in it. Afterwards: start Meent
# on them (an older backup: `manage.py migrate` first) and run `manage.py search_index rebuild`.
# README, "Backup and restore".
set -eu

usage() { echo "usage: DATABASE_URL=... MEDIA_ROOT=... $0 BACKUP_FOLDER" >&2; exit 2; }
[ $# -eq 1 ] || usage
backup=$1
: "${DATABASE_URL:?set DATABASE_URL to the empty database to restore into}"
: "${MEDIA_ROOT:?set MEDIA_ROOT to the empty folder for the uploads}"

for file in database.dump media.tar.gz SHA256SUMS; do
    [ -f "$backup/$file" ] || { echo "$0: $backup/$file is missing: not a backup" >&2; exit 1; }
done
(cd "$backup" && sha256sum --check --quiet SHA256SUMS) || {
    echo "$0: the backup's checksums do not match: it is damaged" >&2
    exit 1
}

tables=$(psql --no-psqlrc --tuples-only --no-align --dbname="$DATABASE_URL" \
    --command="SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")
if [ "$tables" != "0" ]; then
    echo "$0: the database has $tables tables: restore into an empty one (createdb)" >&2
    exit 1
fi
if [ -d "$MEDIA_ROOT" ] && [ -n "$(ls -A "$MEDIA_ROOT")" ]; then
    echo "$0: $MEDIA_ROOT is not empty: restore into an empty folder" >&2
    exit 1
fi

# One transaction: a restore that fails leaves the database empty, not half filled.
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
    --dbname="$DATABASE_URL" "$backup/database.dump"
mkdir -p "$MEDIA_ROOT"
tar -C "$MEDIA_ROOT" -xzf "$backup/media.tar.gz"
echo "Restored $backup; now run: manage.py migrate (an older backup), manage.py search_index rebuild"
