#!/usr/bin/env bash
# README command 2: everything CI runs, each phase timed. Installs what is missing first (Debian
# packages, code-server for the oldest and newest VS Code into the tools cache, npm dependencies),
# then: build, type check, lint, unit + conformance tests, the extension-host suite in both VS Code
# versions, the Chromium UI tests, the real-engine tests (dockerd in sandboxes), that no test changed an unpacked fixture, the launch command's check,
# and a check that no process outlived the run. Runs every phase even after a failure; exits non-zero if
# any failed.
# Artifacts (logs, screenshots): test-results/.
set -uo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

# Every process this run starts inherits this; the leftover check looks for it.
export SWARM_RAFT_RUN_ID="test-all-$$-$RANDOM"

declare -a summary=()
failed=0

phase() { # name command...
  local name="$1"; shift
  local start=$SECONDS rc
  printf '\n===== %s: %s\n' "$name" "$*"
  "$@"; rc=$?
  local took=$((SECONDS - start))
  local status=ok; [ $rc -eq 0 ] || { status="FAILED (exit $rc)"; failed=1; }
  summary+=("$(printf '%-12s %5d s  %s' "$name" "$took" "$status")")
  printf '===== %s: %s in %d s\n' "$name" "$status" "$took"
  return $rc
}

npm_deps() {
  if [ -f node_modules/.package-lock.json ] && [ ! package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "node_modules is up to date"; return 0
  fi
  npm ci --no-audit --no-fund
}

# Processes still carrying this run's id (other than this script): a harness teardown leaked them.
# The check runs without the id in its own environment so it does not find itself.
leftovers() {
  env -u SWARM_RAFT_RUN_ID bash -c '
    sleep 2  # let just-killed groups finish dying and be reaped
    found=0
    for env in /proc/[0-9]*/environ; do
      pid="${env#/proc/}"; pid="${pid%/environ}"
      [ "$pid" = "$1" ] && continue
      if tr "\0" "\n" <"$env" 2>/dev/null | grep -qx "SWARM_RAFT_RUN_ID=$2"; then
        found=1; ps -o pid,ppid,stat,etime,cmd -p "$pid" | tail -n +2 | cut -c1-200
        kill -9 "$pid" 2>/dev/null
      fi
    done
    [ $found -eq 0 ] && echo "no process outlived its test" || echo "leftover processes found (killed)"
    exit $found' leftovers "$$" "$SWARM_RAFT_RUN_ID"
}

rm -rf test-results
total_start=$SECONDS
phase tools bash scripts/tools/install.sh || exit 1
phase npm-deps npm_deps || exit 1
phase build npm run build
phase typecheck npm run typecheck
phase lint npm run lint
phase unit npm run test:unit
phase extension npm run test:extension
phase ui npm run test:ui
phase engine npm run test:engine
# The read-only guarantee over every phase: unpacked fixtures still match their archives.
phase fixtures node scripts/check-fixtures-untouched.mjs
phase package npm run package
phase launch bash scripts/launch.sh --check
phase leftovers leftovers

printf '\n===== summary (total %d s; artifacts in test-results/)\n' $((SECONDS - total_start))
printf '%s\n' "${summary[@]}"
if [ $failed -ne 0 ]; then echo "test-all: some phases FAILED"; exit 1; fi
echo "test-all: every phase passed"
