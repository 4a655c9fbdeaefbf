#!/usr/bin/env bash
# README command 1: installs what is needed, builds the extension and opens it in a real VS Code on
# FOLDER, or on the bundled sample swarm (a small real one from the test fixtures, unpacked under
# .fixtures/) when none is given:   bash scripts/launch.sh [FOLDER] [--check]
#   - desktop VS Code (`code --extensionDevelopmentPath`) when `code` is on PATH;
#   - otherwise code-server on 127.0.0.1, URL printed; Ctrl-C stops it and everything it started.
# SWARM_RAFT_USE_CODE_SERVER=1 forces code-server; SWARM_RAFT_PORT picks its port.
# --check: start code-server, load the page once and stop (what the test run uses).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# The folder to open (resolved from the caller's directory, before the cd below) and the flags.
folder=""
flags=()
for arg in "$@"; do
  case "$arg" in
    --*) flags+=("$arg") ;;
    *)
      if [ -n "$folder" ]; then echo "launch.sh: one folder only (got $folder and $arg)" >&2; exit 2; fi
      if [ ! -d "$arg" ]; then echo "launch.sh: $arg is not a folder" >&2; exit 2; fi
      folder="$(cd "$arg" && pwd)"
      ;;
  esac
done
check=0
for f in "${flags[@]+"${flags[@]}"}"; do [ "$f" = --check ] && check=1; done
cd "$repo"

# npm dependencies, when node_modules is missing or older than the lockfile.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run --silent build

# The sample swarm when no folder is given, unpacked once (same layout and marker as test/support/fixtures.ts).
sample="$repo/.fixtures/corpus/seed-sample"
if [ -z "$folder" ] && [ ! -f "$sample/.unpacked" ]; then
  staging="$repo/.fixtures/corpus/.staging-seed-sample-$$"
  rm -rf "$staging" && mkdir -p "$staging"
  tar -xzf test/fixtures/corpus/seed-sample.tar.gz -C "$staging"
  touch "$staging/seed-sample/.unpacked"
  mv "$staging/seed-sample" "$sample" 2>/dev/null || true
  rm -rf "$staging"
fi
folder="${folder:-$sample/swarm}"

if [ $check -eq 0 ] && [ "${SWARM_RAFT_USE_CODE_SERVER:-}" != 1 ] && command -v code >/dev/null; then
  echo "Opening $folder in desktop VS Code (extension development host)."
  exec code --new-window --wait --extensionDevelopmentPath="$repo" "$folder"
fi

bash scripts/tools/install.sh --only newest
# exec: Ctrl-C reaches the launcher, which stops code-server's process group before exiting.
exec node --import tsx test/harness/launchCodeServer.ts "$folder" "${flags[@]+"${flags[@]}"}"
