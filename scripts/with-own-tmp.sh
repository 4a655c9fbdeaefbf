#!/usr/bin/env bash
# Runs a test command with TMPDIR set to a new folder of its own and removes that folder afterwards,
# whatever the command left there: scratch copies of fixtures, kits, VS Code and browser profiles.
# Without it every run of the suites left some hundreds of MB in /tmp. The path stays short (unix
# socket paths under it are limited to 108 bytes).
set -uo pipefail
root="$(mktemp -d /tmp/srt-XXXXXX)" || exit 1
cleanup() {
  local left
  left="$(du -sm "$root" 2>/dev/null | cut -f1)"
  rm -rf "$root"
  echo "with-own-tmp: removed $root (${left:-0} MB the run left there)"
}
trap cleanup EXIT
TMPDIR="$root" "$@"
