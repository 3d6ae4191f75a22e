#!/usr/bin/env bash
# One command for screenshots/*.png: installs what the renderer needs (Debian packages), then runs
# scripts/screenshots.ts, which builds dist/, starts the namespace lab and photographs the real UI.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null || ! command -v tmux >/dev/null || [ ! -d /usr/share/fonts/truetype/dejavu ]; then
	apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-dejavu-core tmux
fi
exec node --import tsx scripts/screenshots.ts
