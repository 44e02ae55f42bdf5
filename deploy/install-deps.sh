#!/usr/bin/env bash
# Installs the system packages k8ts needs (Debian). Safe to run again; skips what is present.
# As root it installs; otherwise it says what to install.
set -euo pipefail

# etcd 3.5 or newer, as Kubernetes 1.32 runs: etcd 3.4 (Debian bookworm's) copies its whole buffer of
# uncommitted writes on every transaction: each of the API server's writes cost etcd about 0.5 ms of
# CPU, 7 times a plain put and 2-5 times the same write on 3.5 (bench/scheduler and bench/apiserver
# on 2 cores). Debian trixie packages 3.5; see install_etcd below.
etcd_recent() {
  local v
  v=$(etcd --version 2>/dev/null | sed -n 's/^etcd Version: //p')
  [ -n "$v" ] && [ "$(printf '%s\n3.5.0\n' "$v" | sort -V | head -1)" = "3.5.0" ]
}

need=()
command -v runc >/dev/null 2>&1 || need+=(runc)
[ -x /bin/busybox ] || [ -x /usr/bin/busybox ] || need+=(busybox-static)
command -v ip >/dev/null 2>&1 || need+=(iproute2)
[ -x /usr/lib/cni/bridge ] || need+=(containernetworking-plugins)
# npm builds the node-pty addon (TTY exec) with node-gyp, which needs a C++ toolchain and python3;
# `npm run build` compiles the container monitor (runtime-shim/monitor/monitor.c) with cc.
command -v cc >/dev/null 2>&1 || need+=(gcc)
command -v g++ >/dev/null 2>&1 || need+=(g++)
command -v make >/dev/null 2>&1 || need+=(make)
command -v python3 >/dev/null 2>&1 || need+=(python3)
# Tests of TLS to etcd make their certificates with openssl.
command -v openssl >/dev/null 2>&1 || need+=(openssl)

if [ ${#need[@]} -eq 0 ] && etcd_recent; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  [ ${#need[@]} -eq 0 ] || {
    echo "k8ts needs these Debian packages: ${need[*]}" >&2
    echo "install them with: sudo apt-get install -y ${need[*]}" >&2
  }
  etcd_recent || echo "k8ts needs etcd 3.5 or newer (Debian trixie's etcd-server): run this script as root" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# The system's package lists, fetched once for both steps below.
apt-get update -qq
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]} ..."
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# Debian trixie's etcd-server, fetched through a private apt source list and cache, so the machine's
# own sources stay as they are (no suite mixing for anything else). The package needs only libc6 and
# adduser, which bookworm has (the system's lists, updated first, resolve them); apt checks its
# signature against Debian's archive keyring.
install_etcd() {
  local dir ok=0
  dir=$(mktemp -d)
  mkdir -p "$dir/lists/partial" "$dir/archives/partial"
  cat >"$dir/trixie.sources" <<'SOURCES'
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
  local opts=(-o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$dir" -o "Dir::State::Lists=$dir/lists"
    -o "Dir::Cache::Archives=$dir/archives" -o "Dir::Cache::pkgcache=" -o "Dir::Cache::srcpkgcache="
    -o "APT::Sandbox::User=root")
  if apt-get "${opts[@]}" update -qq &&
    (cd "$dir" && apt-get "${opts[@]}" download -qq etcd-server) &&
    apt-get install -y -qq --no-install-recommends "$dir"/etcd-server_*.deb >/dev/null; then
    ok=1
  fi
  rm -rf "$dir"
  [ "$ok" = 1 ]
}
if ! etcd_recent; then
  echo "installing etcd 3.5 (Debian trixie's etcd-server) ..."
  if ! install_etcd || ! etcd_recent; then
    # k8ts works on 3.4 too, more slowly (`k8ts up` says so): better that than no cluster.
    command -v etcd >/dev/null 2>&1 || apt-get install -y -qq --no-install-recommends etcd-server >/dev/null
    echo "warning: could not install etcd 3.5 from Debian trixie; using $(etcd --version 2>/dev/null | head -1)" >&2
  fi
fi
# Debian's etcd-server may start a system etcd on 2379; k8ts runs its own, so stop that one.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet etcd 2>/dev/null; then
  systemctl stop etcd || true
fi
