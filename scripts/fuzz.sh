#!/usr/bin/env bash
# Builds every libFuzzer target (tests/fuzz/fuzz_*.c) with clang into build-fuzz/ and runs each
# for a short time over its corpus. Exit status 1 if any target crashes, leaks or times out.
#
#   scripts/fuzz.sh [SECONDS]        default 60 s per target (FUZZ_SECONDS overrides)
#
# A new target is picked up by adding files, nothing else:
#   tests/fuzz/fuzz_NAME.c           the target (LLVMFuzzerTestOneInput)
#   tests/fuzz/corpus/NAME/          seed inputs (optional; read only, the run works on a copy)
#   tests/fuzz/NAME.dict             libFuzzer dictionary (optional)
#   tests/fuzz/NAME.options          extra libFuzzer flags, one line (optional, e.g. -max_len=65536)
# Crashing inputs are kept in build-fuzz/artifacts/NAME/ and the figures of each run (executions,
# coverage, corpus size) are appended to build-fuzz/fuzz-summary.txt. Long runs and their figures:
# docs/reliability.md. Needs clang (scripts/install-deps.sh installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET=${1:-${FUZZ_SECONDS:-60}}
BUILD_DIR=${FUZZ_BUILD_DIR:-build-fuzz}
ROOT=$PWD

targets=()
for src in tests/fuzz/fuzz_*.c; do
  [ -e "$src" ] || continue
  targets+=("$(basename "$src" .c)")
done
if [ ${#targets[@]} -eq 0 ]; then
  echo "fuzz: no targets in tests/fuzz" >&2
  exit 1
fi

CC=${FUZZ_CC:-clang} cmake -S . -B "$BUILD_DIR" -DPANTAU_FUZZ=ON -DPANTAU_WERROR=ON >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)" --target "${targets[@]}"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/tests/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
summary=$BUILD_DIR/fuzz-summary.txt
failed=()
for t in "${targets[@]}"; do
  name=${t#fuzz_}
  work=$BUILD_DIR/corpus/$name
  artifacts=$BUILD_DIR/artifacts/$name
  mkdir -p "$work" "$artifacts"
  if [ -d "tests/fuzz/corpus/$name" ]; then
    cp -r "tests/fuzz/corpus/$name/." "$work/"
  fi
  args=(-max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048
        -print_final_stats=1 -artifact_prefix="$artifacts/")
  [ -f "tests/fuzz/$name.dict" ] && args+=(-dict="tests/fuzz/$name.dict")
  if [ -f "tests/fuzz/$name.options" ]; then
    read -r -a extra <"tests/fuzz/$name.options"
    args+=("${extra[@]}")
  fi
  log=$BUILD_DIR/$t.log
  echo "fuzz: $t for ${SECONDS_PER_TARGET}s over $work"
  rc=0
  "$BUILD_DIR/tests/$t" "${args[@]}" "$work" >"$log" 2>&1 || rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1 || true)
  files=$(find "$work" -type f | wc -l)
  line="$(date -u +%F) $t rc=$rc seconds=$SECONDS_PER_TARGET executions=${execs:-?} ${cov:-cov: ?} corpus=$files"
  echo "fuzz: $line"
  echo "$line" >>"$summary"
  if [ "$rc" -ne 0 ]; then
    failed+=("$t")
    echo "fuzz: $t FAILED (rc=$rc); the end of its log ($log):" >&2
    tail -40 "$log" >&2
    ls -l "$artifacts" >&2
  fi
done
if [ ${#failed[@]} -ne 0 ]; then
  echo "fuzz: failing targets: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: ${#targets[@]} targets, no crash"
