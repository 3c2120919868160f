#!/usr/bin/env bash
# One command for the whole test suite: installs dependencies (Debian 12, as root or via sudo),
# builds with warnings as errors, and runs every unit and integration test with ctest.
# The integration tests start their own RTSP cameras on loopback and their own Xvfb.
# PANTAU_SANITIZE=address,undefined scripts/test.sh builds and tests with sanitizers in
# build-sanitize/ instead.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
if [ -n "${PANTAU_SANITIZE:-}" ]; then
  export BUILD_DIR=build-sanitize
  # Full unwinding on malloc so leak stacks reach the library constructors tests/lsan.supp names.
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0}
  export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp:print_suppressions=0}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
  scripts/build.sh -DPANTAU_SANITIZE="$PANTAU_SANITIZE" -DCMAKE_BUILD_TYPE=Debug
else
  export BUILD_DIR=build
  scripts/build.sh
fi
ctest --test-dir "$BUILD_DIR" --output-on-failure --timeout 400 "$@"
