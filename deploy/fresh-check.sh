#!/usr/bin/env bash
# `make fresh-check` (issue #26): the README's two commands, exactly as written, on a fresh minimal Debian 12
# (mmdebstrap minbase with python3 3.11, python3-venv and ca-certificates; `make` added as the README asks),
# in a podman container: `make run` must serve the sign-in page with the demo loaded and render a paper
# PDF, then `make test` must pass. Arguments are `make test`'s PYTEST_ARGS (the Makefile passes a subset in
# CI; none runs the whole suite). The container and its files are removed on exit, pass or fail.
#
# The copy of the project is the working tree as git sees it (tracked and untracked files, nothing ignored:
# no .venv, no var/). The container shares the host's network (loopback only is served: 127.0.0.1:8000);
# the host's CA bundle is mounted read-only for pip when the host has one.
set -euo pipefail
cd "$(dirname "$0")/.."
source deploy/podman-env.sh

PYTHON=${PYTHON:-.venv/bin/python}
FRESH=send-tracker-fresh-$$
RUN_URL=http://127.0.0.1:8000
STARTED=$(date +%s)

cleanup() {
	local status=$?
	set +e
	podman rm --force --time 2 "$FRESH" >/dev/null 2>&1
	rm -rf "$CHECK_WORK"
	if [ "$status" = 0 ]; then
		log "fresh-check passed in $(($(date +%s) - STARTED)) s"
	else
		log "fresh-check FAILED (exit $status); the container is removed"
	fi
	exit "$status"
}
trap cleanup EXIT INT TERM

fail() {
	echo "fresh-check: $*" >&2
	podman exec "$FRESH" tail -n 30 /root/make-run.log >&2 2>&1 || true
	exit 1
}
in_fresh() { podman exec "$FRESH" bash -c "$1"; }

if [ "$(curl -s -o /dev/null -w '%{http_code}' "$RUN_URL/" || true)" != 000 ]; then
	echo "fresh-check: something already answers on $RUN_URL, where \`make run\` serves" >&2
	exit 1
fi

ensure_podman
ensure_debian_image

# The working tree as git sees it (files deleted but not yet committed left out).
"$PYTHON" - "$CHECK_WORK/project.tar" <<'PY'
import subprocess, sys, tarfile
from pathlib import Path
names = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                       capture_output=True, check=True).stdout.decode().split("\0")
with tarfile.open(sys.argv[1], "w") as tar:
    for name in sorted(set(names)):
        if name and Path(name).is_file():
            tar.add(name, arcname=f"send-tracker/{name}")
PY

env_opts=()
if [ -r "$HOST_CA" ]; then env_opts=(--env "PIP_CERT=$HOST_CA"); fi
# shellcheck disable=SC2046 # ca_mount prints one option or none
podman run --detach --name "$FRESH" --network=host $(ca_mount) "${env_opts[@]}" \
	--volume "$CHECK_WORK/project.tar:/project.tar:ro" "$DEBIAN_IMAGE" sleep infinity >/dev/null
in_fresh 'python3 --version && . /etc/os-release && echo "$PRETTY_NAME"'

log "adding make, as the README asks"
in_fresh 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq make >/dev/null'
in_fresh 'mkdir -p /root/send-tracker && tar -xf /project.tar -C /root'

log "make run (in the background)"
run_started=$(date +%s)
podman exec --detach --workdir /root/send-tracker "$FRESH" bash -c 'make run >/root/make-run.log 2>&1'
served=""
for _ in $(seq 1 900); do
	if [ "$(curl -s -o "$CHECK_WORK/login.html" -w '%{http_code}' "$RUN_URL/login/" || true)" = 200 ]; then
		served=yes
		break
	fi
	in_fresh 'grep -q "^make: \*\*\*" /root/make-run.log' && fail "make run stopped"
	sleep 1
done
[ -n "$served" ] || fail "make run did not serve $RUN_URL/login/ within 15 minutes"
RUN_SECONDS=$(($(date +%s) - run_started))
grep -q 'demo-banner' "$CHECK_WORK/login.html" || fail "the sign-in page shows no demonstration banner: no demo loaded"
echo "   ok  make run serves the sign-in page with the demo loaded, ${RUN_SECONDS} s after it started"

in_fresh 'cd /root/send-tracker && .venv/bin/python manage.py shell --no-imports -c "
from reports.models import PublishedVersion
from reports.papers.render import render_paper_pdf
version = PublishedVersion.objects.order_by(\"pk\").first()
assert version is not None, \"the demo published no paper\"
stored = version.read_verified_pdf()
again = render_paper_pdf(version.snapshot)
assert stored.startswith(b\"%PDF\") and again.data.startswith(b\"%PDF\") and again.page_count > 1
print(f\"   ok  the demo paper PDF ({len(stored)} bytes, SHA-256 checked) renders again: {again.page_count} pages\")
"' || fail "no paper PDF rendered"

# Stop the development server (its reloader would keep a core busy) before the tests.
in_fresh 'for p in /proc/[0-9]*; do [ "${p#/proc/}" = $$ ] && continue
	grep -qa runserver "$p/cmdline" 2>/dev/null && kill "${p#/proc/}" 2>/dev/null; done; true'

log "make test PYTEST_ARGS=\"$*\""
test_started=$(date +%s)
podman exec --workdir /root/send-tracker --env "PYTEST_ARGS=$*" "$FRESH" bash -c 'make test' \
	|| fail "make test failed"
echo "   make test: $(($(date +%s) - test_started)) s (Debian test packages installed by it included)"
