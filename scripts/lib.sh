# Shared by the scripts in this folder: system packages, PostgreSQL binaries, running as a non-root user.
# Sourced, not executed.

MO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MO_PACKAGES=(libmicrohttpd-dev libpq-dev libcurl4-openssl-dev libssl-dev postgresql pkg-config curl python3 ca-certificates systemd)

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
# A script's --help: its leading comment block, the lines before `set -euo pipefail`, without the `# `.
usage() { sed -n '2,/^set -euo/{/^#/p}' "$1" | sed 's/^# \{0,1\}//'; }

# Installs the Debian packages the build and the tests need (apt-get as root, or through sudo).
ensure_packages() {
    local missing=()
    for pkg in "${MO_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    say "installing Debian packages: ${missing[*]}"
    local apt=(apt-get)
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || die "missing packages: ${missing[*]}; install them as root: apt-get install ${missing[*]}"
        apt=(sudo apt-get)
    fi
    "${apt[@]}" update -qq
    DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    # Debian's postgresql package starts a system cluster; ours are private, so that one is left alone.
}

ensure_swift() {
    command -v swift >/dev/null || [ -x /opt/swift/usr/bin/swift ] || die "no Swift toolchain found (expected swift on PATH or /opt/swift)"
    command -v swift >/dev/null || export PATH=/opt/swift/usr/bin:$PATH
}

# The newest PostgreSQL server binaries (Debian layout).
pg_bindir() {
    if [ -n "${MO_PG_BINDIR:-}" ]; then echo "$MO_PG_BINDIR"; return; fi
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -x "$dir/initdb" ] || die "no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)"
    echo "$dir"
}

# Runs a command as the user PostgreSQL runs as: ourselves, or 'postgres' when we are root (it refuses root).
as_pg_user() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# Makes a directory the PostgreSQL user owns.
pg_owned_dir() {
    mkdir -p "$1"
    if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$1"; fi
    chmod 700 "$1"
}

# True when the PostgreSQL user can reach a path (a checkout under /root is not reachable for 'postgres').
pg_user_can_reach() {
    as_pg_user test -x "$1" 2>/dev/null
}
