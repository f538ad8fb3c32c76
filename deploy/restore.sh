#!/bin/sh
# Restore one backup made by deploy/backup.sh (README "Deployment"): restore.sh DUMP MEDIA_TAR
# DUMP and MEDIA_TAR are names in BACKUP_DIR (or paths) from the same backup. The database (libpq's PGHOST,
# PGPORT, PGUSER, PGPASSWORD, PGDATABASE) must exist and be empty: create it anew first. The media are
# unpacked into MEDIA_DIR. Stop the app (web and scheduler) while restoring.
set -eu
BACKUP_DIR=${BACKUP_DIR:-/backups}
MEDIA_DIR=${MEDIA_DIR:-/media}
[ $# = 2 ] || { echo "usage: restore.sh db-STAMP.dump media-STAMP.tar.gz" >&2; exit 2; }
case $1 in /*) dump=$1 ;; *) dump=$BACKUP_DIR/$1 ;; esac
case $2 in /*) media=$2 ;; *) media=$BACKUP_DIR/$2 ;; esac

tables=$(psql --no-psqlrc -tAc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
if [ "$tables" != 0 ]; then
	echo "restore.sh: database ${PGDATABASE:-?} is not empty ($tables tables): drop and create it first" >&2
	exit 1
fi
pg_restore --exit-on-error --no-owner --dbname="${PGDATABASE:?set PGDATABASE}" "$dump"
mkdir -p "$MEDIA_DIR"
tar -xzf "$media" -C "$MEDIA_DIR"
echo "restored $dump into ${PGDATABASE} and $media into $MEDIA_DIR"
