#!/bin/sh
# SEND Tracker's backups (README "Deployment", compose.yaml's `backup` service): a PostgreSQL dump
# (pg_dump --format=custom) and a tar of the media (published papers' PDFs, uploaded appendices) taken
# together, named by the same UTC time, into BACKUP_DIR; copies older than BACKUP_KEEP_DAYS are deleted.
# Runs every BACKUP_INTERVAL_SECONDS, or once with --once. The database comes from libpq's PGHOST, PGPORT,
# PGUSER, PGPASSWORD and PGDATABASE. Restore with deploy/restore.sh.
set -eu
BACKUP_DIR=${BACKUP_DIR:-/backups}
MEDIA_DIR=${MEDIA_DIR:-/media}
KEEP_DAYS=${BACKUP_KEEP_DAYS:-14}
INTERVAL=${BACKUP_INTERVAL_SECONDS:-86400}

backup_once() {
	stamp=$(date -u +%Y%m%dT%H%M%SZ)
	# Written under a dot name and renamed when complete, so a half-written file never looks like a backup.
	pg_dump --format=custom --file="$BACKUP_DIR/.db-$stamp.dump"
	tar -czf "$BACKUP_DIR/.media-$stamp.tar.gz" -C "$MEDIA_DIR" .
	mv "$BACKUP_DIR/.db-$stamp.dump" "$BACKUP_DIR/db-$stamp.dump"
	mv "$BACKUP_DIR/.media-$stamp.tar.gz" "$BACKUP_DIR/media-$stamp.tar.gz"
	find "$BACKUP_DIR" -maxdepth 1 -type f \( -name 'db-*.dump' -o -name 'media-*.tar.gz' \) \
		-mtime +"$KEEP_DAYS" -delete
	echo "backup $stamp: db-$stamp.dump and media-$stamp.tar.gz in $BACKUP_DIR (kept $KEEP_DAYS days)"
}

mkdir -p "$BACKUP_DIR"
if [ "${1:-}" = "--once" ]; then
	backup_once
	exit 0
fi
while :; do
	backup_once || echo "backup failed; trying again in $INTERVAL s" >&2
	sleep "$INTERVAL"
done
