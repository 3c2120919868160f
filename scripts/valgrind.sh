#!/usr/bin/env bash
# valgrind memcheck of pantau-wall and of a pantau-ingest worker (not in CI: about 2 minutes of
# CPU under valgrind). Exit status 1 if either reports definitely or indirectly lost bytes or a
# memory error.
#
#   scripts/valgrind.sh [SECONDS]      how long each program runs (default 20)
#
# 1. pantau-wall --headless on a 2-camera layout (one RTSP test camera, one test: source), its
#    workers started as usual but not under valgrind; it exits by itself after writing a snapshot.
# 2. pantau-ingest on that RTSP camera, stopped with SIGTERM, with the camera killed and restarted
#    half-way so a reconnect cycle is included.
# Logs: build/valgrind/{wall,ingest}.log. Results: docs/reliability.md.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-20}
B=${BUILD_DIR:-build}
OUT=$B/valgrind
mkdir -p "$OUT"
rm -f "$OUT"/*.log
VG=(valgrind --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect
    --error-exitcode=99 --num-callers=30 --suppressions=tests/valgrind.supp)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cam() { "$B/tests/pantau-test-camera" --port "$port" --size 320x180 --fps 10 >>"$OUT/camera.out" 2>&1 & CAM=$!; sleep 2; }
cleanup() { kill -TERM "${CAM:-0}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT
cam

cat >"$OUT/wall.ini" <<EOF
[wall]
canvas=640x360
grid=2x1
fps=10
endpoint_dir=$PWD/$OUT
[camera rtsp]
source=rtsp://127.0.0.1:$port/cam
tile=0,0
[camera pola]
source=test:ball
tile=1,0
EOF
echo "valgrind: pantau-wall for ${SECS}s"
rc_wall=0
"${VG[@]}" --log-file="$OUT/wall.log" "$B/pantau-wall" --headless --snapshot "$OUT/wall.png" \
  --after "$SECS" "$OUT/wall.ini" 2>"$OUT/wall.stderr" || rc_wall=$?

echo "valgrind: pantau-ingest for ${SECS}s (camera restarted half-way)"
"${VG[@]}" --log-file="$OUT/ingest.log" "$B/pantau-ingest" --id vg --source "rtsp://127.0.0.1:$port/cam" \
  --endpoint "ipc://$PWD/$OUT/vg.sock" --width 320 --height 180 --fps 10 2>"$OUT/ingest.stderr" &
ING=$!
sleep $((SECS / 2))
kill -TERM "$CAM"; wait "$CAM" 2>/dev/null || true
sleep 3
cam
sleep $((SECS / 2))
kill -TERM "$ING"
rc_ing=0
wait "$ING" || rc_ing=$?

for p in wall ingest; do
  echo "== $p: $(grep -E 'definitely lost|indirectly lost|ERROR SUMMARY' "$OUT/$p.log" | sed 's/==[0-9]*== *//' | tr '\n' ';')"
done
echo "exit: wall $rc_wall, ingest $rc_ing (99 = valgrind found errors or leaks)"
[ "$rc_wall" -eq 0 ] && [ "$rc_ing" -eq 0 ]
