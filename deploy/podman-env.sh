# Shared by deploy/image-check.sh and deploy/fresh-check.sh (sourced, not run): podman set up for these
# machines without touching the host's own configuration, and the base images both checks start from.
#
# - podman, mmdebstrap and runc are installed from Debian when missing (sudo when not root).
# - A containers.conf of our own (CONTAINERS_CONF): runc (crun refuses this host's cgroups), cgroupfs, a
#   file events log (no systemd journal), and default ulimits the host allows.
# - BASE_IMAGE: the official python:3.11-slim-bookworm when it can be pulled; otherwise a stand-in made
#   from Debian's own packages by mmdebstrap (minbase + python3, python3-venv, ca-certificates), with a
#   thin layer that puts a virtual environment's python and pip first on PATH as the official image does.
# - DEBIAN_IMAGE: the same minimal Debian 12 without that layer: a "fresh machine" with Python 3.11.
# Both are kept in podman's image store between runs (delete them with `podman rmi` to rebuild).

CHECK_WORK="$(mktemp -d "${TMPDIR:-/tmp}/send-tracker-check.XXXXXX")"
DEBIAN_IMAGE=localhost/send-tracker-debian:bookworm
STANDIN_IMAGE=localhost/send-tracker-python:3.11-bookworm
OFFICIAL_IMAGE=docker.io/library/python:3.11-slim-bookworm
HOST_CA=/etc/ssl/certs/ca-certificates.crt

log() { printf '== %s %s\n' "$(date -u +%H:%M:%S)" "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

ensure_podman() {
	if ! command -v podman >/dev/null || ! command -v mmdebstrap >/dev/null || ! command -v runc >/dev/null; then
		log "installing podman, mmdebstrap and runc from Debian"
		as_root apt-get update -qq
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman mmdebstrap runc uidmap >/dev/null
	fi
	cat >"$CHECK_WORK/containers.conf" <<'CONF'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
	export CONTAINERS_CONF="$CHECK_WORK/containers.conf"
}

# The host's CA bundle, read-only, for pip behind a proxy whose CA the host trusts (never copied in).
ca_mount() { if [ -r "$HOST_CA" ]; then printf '%s\n' "--volume=$HOST_CA:$HOST_CA:ro"; fi; }

ensure_debian_image() {
	podman image exists "$DEBIAN_IMAGE" && return 0
	log "building a minimal Debian 12 with mmdebstrap"
	mmdebstrap --quiet --variant=minbase --include=python3,python3-venv,ca-certificates \
		--aptopt='Acquire::Check-Valid-Until "false"' --aptopt='Acquire::Languages "none"' \
		bookworm "$CHECK_WORK/debian.tar" \
		"deb http://deb.debian.org/debian bookworm main" \
		"deb http://deb.debian.org/debian bookworm-updates main" \
		"deb http://deb.debian.org/debian-security bookworm-security main"
	podman import --quiet --change 'CMD ["bash"]' --change 'ENV LANG=C.UTF-8' \
		"$CHECK_WORK/debian.tar" "$DEBIAN_IMAGE" >/dev/null
	rm -f "$CHECK_WORK/debian.tar"
}

# Sets BASE_IMAGE (unless given): the official image if it can be pulled, else the stand-in.
ensure_base_image() {
	if [ -n "${BASE_IMAGE:-}" ]; then return 0; fi
	if podman image exists "$OFFICIAL_IMAGE" || timeout 30 podman pull --quiet "$OFFICIAL_IMAGE" >/dev/null 2>&1; then
		BASE_IMAGE=$OFFICIAL_IMAGE
		return 0
	fi
	BASE_IMAGE=$STANDIN_IMAGE
	podman image exists "$STANDIN_IMAGE" && return 0
	ensure_debian_image
	log "the official base cannot be pulled: building the stand-in $STANDIN_IMAGE"
	# pip in the stand-in trusts Debian's CA bundle (the file the build mounts the host's over).
	cat >"$CHECK_WORK/Containerfile.base" <<CONTAINERFILE
FROM $DEBIAN_IMAGE
RUN python3 -m venv /opt/venv && printf '[global]\ncert = $HOST_CA\n' >/etc/pip.conf
ENV PATH=/opt/venv/bin:\$PATH LANG=C.UTF-8
CMD ["python3"]
CONTAINERFILE
	podman build --quiet --format docker --network=host -f "$CHECK_WORK/Containerfile.base" \
		-t "$STANDIN_IMAGE" "$CHECK_WORK" >/dev/null
}
