#!/usr/bin/env bash
# Configures and builds Pantau into ./build (warnings are errors). Extra arguments go to cmake,
# e.g. scripts/build.sh -DPANTAU_SANITIZE=address,undefined
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -DPANTAU_WERROR=ON "$@"
cmake --build "$BUILD_DIR" -j"$(nproc)"
