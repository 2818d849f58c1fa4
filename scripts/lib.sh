# Shared by the scripts: where cargo builds, and installing what is missing.
# shellcheck shell=bash
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

# One warm target directory outside the clone when the machine allows it, so
# a fresh clone (CI) reuses earlier builds; otherwise cargo's default.
if [ -z "${CARGO_TARGET_DIR:-}" ]; then
  if mkdir -p /var/cache/servizi-lavoro/target 2>/dev/null && [ -w /var/cache/servizi-lavoro/target ]; then
    export CARGO_TARGET_DIR=/var/cache/servizi-lavoro/target
  else
    export CARGO_TARGET_DIR="$ROOT/target"
  fi
fi

# The binary defaults to production and refuses to start without real keys,
# HTTPS and SMTP (fail closed); these scripts run it on a developer's machine
# or in CI, with demo identity providers and data, so they say so.
export SL_ENV=development

# Incremental builds on a developer's machine (a one-file change rebuilds the
# binary in ~14 s instead of ~70 s); CI (.ci/run) turns them off, as it builds
# from scratch where incremental caches would only fill the disk.
export CARGO_INCREMENTAL=${CARGO_INCREMENTAL:-1}

log() { printf '\n==> %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root to run: $*" >&2; return 1; fi
}

# apt_need PKG…: installs the Debian packages that are not installed yet.
apt_need() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

# What building the crate needs: a C compiler (SQLite and libpq are built
# in) and the C libraries behind xmlsec and OpenSSL.
BUILD_PACKAGES=(build-essential pkg-config clang libssl-dev libxml2-dev libxmlsec1-dev xmlsec1)
# What the tests need besides: a PostgreSQL server, Chromium, OpenSSL (the
# time-stamping authority) and Dovecot (the PEC mailbox the receipts arrive in).
TEST_PACKAGES=(postgresql chromium fonts-dejavu-core curl python3-venv openssl dovecot-imapd)

need_cargo() {
  command -v cargo >/dev/null || { echo "cargo is needed: install Rust from rustup.rs" >&2; exit 1; }
}

# need_rust_components NAME…: rustup components (rustfmt, clippy) the tests use.
need_rust_components() {
  local c
  for c in "$@"; do
    if ! cargo "${c/rustfmt/fmt}" --version >/dev/null 2>&1; then
      command -v rustup >/dev/null || { echo "cargo $c is needed" >&2; exit 1; }
      rustup component add "$c"
    fi
  done
}

# A Python virtual environment with AgID's spid-sp-test, kept beside the
# cargo target directory so it is made once per machine.
SPID_SP_TEST_VERSION=1.2.18
spid_sp_test_venv() {
  local venv
  venv="$(dirname "$CARGO_TARGET_DIR")/spid-venv"
  if ! "$venv/bin/spid_sp_test" --help >/dev/null 2>&1; then
    log "installing spid-sp-test $SPID_SP_TEST_VERSION"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet "spid-sp-test==$SPID_SP_TEST_VERSION"
  fi
  echo "$venv"
}

# The reference implementation of SPID and CIE id over OpenID Connect
# Federation (the Django apps the federations run), in its own environment.
SPID_CIE_OIDC_VERSION=1.6.3
oidc_venv() {
  local venv
  venv="$(dirname "$CARGO_TARGET_DIR")/oidc-venv"
  if ! "$venv/bin/python" -c "import spid_cie_oidc" >/dev/null 2>&1; then
    log "installing spid-cie-oidc $SPID_CIE_OIDC_VERSION"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet "spid-cie-oidc==$SPID_CIE_OIDC_VERSION"
  fi
  echo "$venv"
}
