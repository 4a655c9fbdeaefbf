#!/usr/bin/env bash
# Renders resources/icon.svg (the source) to resources/icon.png, the 128x128 marketplace/extension icon
# the manifest names, with Debian's Chromium (headless, transparent background).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars --default-background-color=00000000 \
  --window-size=128,128 --screenshot="$repo/resources/icon.png" "file://$repo/resources/icon.svg" 2>/dev/null
