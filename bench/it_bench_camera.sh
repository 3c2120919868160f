#!/bin/sh
# it_bench_camera: pantau-bench-camera serves a pre-encoded clip in a loop, valid across the loop
# point, and refuses bad clips with a message naming what is wrong (exit 2).
#   it_bench_camera.sh BUILD_DIR/bench/pantau-bench-camera
set -eu
CAM=$1
DIR=$(mktemp -d)
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$DIR"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# A 2 s clip (one GOP): reading 5 s crosses the loop point twice.
ffmpeg -hide_banner -loglevel error -nostdin -y -f lavfi -i testsrc2=size=160x90:rate=25 -t 2 \
  -c:v libx264 -preset ultrafast -profile:v main -bf 0 -g 50 -keyint_min 50 -sc_threshold 0 \
  -x264-params aud=1 -f h264 "$DIR/clip.h264"

# Bad clips: not H.264, no delimiters; missing file; bad port.
head -c 4096 /dev/urandom > "$DIR/noise.h264"
for bad in "$DIR/noise.h264:access-unit delimiter" "$DIR/none.h264:cannot read clip"; do
  f=${bad%%:*}; want=${bad#*:}
  rc=0; "$CAM" --clip "$f" --port 0 2> "$DIR/err" || rc=$?
  [ "$rc" = 2 ] || fail "$f: exit $rc, want 2"
  grep -q "$want" "$DIR/err" || fail "$f: message '$(cat "$DIR/err")' lacks '$want'"
done
rc=0; "$CAM" --clip "$DIR/clip.h264" --port 70000 2> /dev/null || rc=$?
[ "$rc" = 2 ] || fail "--port 70000: exit $rc, want 2"

"$CAM" --clip "$DIR/clip.h264" --port 0 > "$DIR/out" 2> "$DIR/cam.err" &
PID=$!
for _ in $(seq 50); do grep -q READY "$DIR/out" && break; sleep 0.1; done
URL=$(sed -n 's/^READY \(rtsp[^ ]*\).*/\1/p' "$DIR/out")
[ -n "$URL" ] || fail "no READY line"
ffmpeg -hide_banner -nostdin -loglevel error -rtsp_transport tcp -i "$URL" -t 5 -f null - \
  -progress "$DIR/progress" 2> "$DIR/ffmpeg.err" || fail "ffmpeg: $(cat "$DIR/ffmpeg.err")"
FRAMES=$(sed -n 's/^frame=//p' "$DIR/progress" | tail -1)
echo "frames in 5 s of stream time: $FRAMES; decoder messages: $(wc -l < "$DIR/ffmpeg.err")"
[ "$FRAMES" -ge 120 ] || fail "only $FRAMES frames in 5 s"
[ ! -s "$DIR/ffmpeg.err" ] || fail "decoder errors across the loop point: $(head -3 "$DIR/ffmpeg.err")"
kill "$PID"; wait "$PID" || fail "camera exit status $? on SIGTERM"
PID=
echo PASS
