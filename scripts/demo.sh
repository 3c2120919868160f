#!/usr/bin/env bash
# One command for a newcomer: installs what Pantau needs (Debian 12, as root or via sudo), builds
# it, and runs the demo wall (9 test-pattern cameras + the complaints panel). With a display it
# opens a window; without one it runs headless and refreshes a PNG whose path it prints.
# Extra arguments go to pantau-wall (e.g. --fullscreen, --snapshot wall.png --after 10).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
exec build/pantau-wall layouts/demo.ini "$@"
