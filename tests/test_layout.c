/* test_layout: layout parsing and validation (wall/layout.h).
 *
 * The error table feeds a layout with mistakes and compares the whole layout_errors_format
 * output, so every line number, key and message is checked exactly (and a message that starts
 * quoting a password fails here). Then defaults, a full valid layout, path resolution,
 * needs_restart, the shipped layouts in layouts/, limits, invalid arguments and random bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "layout.h"

#define X10 "xxxxxxxxxx"
#define E10 "éééééééééé"
#define FILE_NAME "t.ini"

typedef struct {
    const char *name;
    const char *text;
    const char *want; /* layout_errors_format output */
} error_case_t;

static const error_case_t error_cases[] = {
    {"pages",
     "[wall]\n"
     "grid=2x1\n"
     "rotate_s=3\n"
     "[page kota]\n"
     "[page kota]\n"
     "[page all]\n"
     "[camera a]\n"
     "source=test\n"
     "tile=0,0\n"
     "page=kota\n"
     "main_uri=rtsp://admin:hunter2@10.0.0.1/main\n"
     "[camera b]\n"
     "source=test\n"
     "tile=0,0\n"
     "page=kota, laut\n"
     "[panel p]\n"
     "type=text\n"
     "tile=1,0\n"
     "page=Kota\n",
     "t.ini:3: wall.rotate_s: 3 s is too short to read a page (use 0 for no rotation, or 5..3600)\n"
     "t.ini:5: page.kota: duplicate page 'kota' (first on line 4)\n"
     "t.ini:6: page.all: 'all' is reserved (page=all means every page)\n"
     "t.ini:11: camera.a.main_uri: 'rtsp://***@10.0.0.1/main' has a password in it: remove "
     "'USER:PASSWORD@' from the URI and put username= and password= under [a] in the "
     "credentials file\n"
     "t.ini:15: camera.b.page: no page 'laut' (pages: kota)\n"
     "t.ini:19: panel.p.page: 'Kota' is not a page id (write page=ID[,ID...] or page=all)\n"},
    {"several screens: windows mode",
     "[wall]\n"
     "grid=2x1\n"
     "screens=2\n"
     "screen_mode=windows\n"
     "[camera a]\n"
     "source=test\n"
     "tile=0,0\n"
     "screen=3\n"
     "[camera b]\n"
     "source=test\n"
     "tile=0,0\n"
     "screen=0\n"
     "[camera c]\n"
     "source=test\n"
     "tile=1,0\n"
     "[camera d]\n"
     "source=test\n"
     "tile=1,0\n"
     "screen=1\n"
     "[camera e]\n"
     "source=test\n"
     "tile=1,0\n"
     "screen=2\n"
     "[panel p]\n"
     "type=text\n"
     "tile=0,0\n"
     "screen=2\n"
     "[panel q]\n"
     "type=text\n"
     "tile=0,0\n"
     "screen=x\n",
     "t.ini:8: camera.a.screen: screen 3 does not exist: [wall] screens=2\n"
     "t.ini:12: camera.b.screen: '0' is out of range (allowed 1..16)\n"
     "t.ini:18: camera.d.tile: camera 'd' (tile 1,0 span 1x1) overlaps camera 'c' (tile 1,0 span "
     "1x1, line 15)\n"
     "t.ini:31: panel.q.screen: 'x' is not a whole number (allowed 1..16)\n"},
    {"several screens: span mode and bad modes",
     "[wall]\n"
     "grid=2x1\n"
     "screens=2\n"
     "screen_mode=mirror\n"
     "screens=17\n"
     "[camera a]\n"
     "source=test\n"
     "tile=0,0\n"
     "screen=2\n",
     "t.ini:4: wall.screen_mode: 'mirror' is not allowed (allowed: span, windows)\n"
     "t.ini:5: wall.screens: duplicate key 'screens' (first on line 3)\n"},
    {"several screens: screen= in span mode",
     "[wall]\n"
     "grid=2x1\n"
     "screens=2\n"
     "[camera a]\n"
     "source=test\n"
     "tile=0,0\n"
     "screen=2\n"
     "[camera b]\n"
     "source=test\n"
     "tile=1,0\n"
     "screen=1\n",
     "t.ini:7: camera.a.screen: screen=2 needs [wall] screen_mode=windows (with screen_mode=span "
     "one canvas covers every monitor: place the tile on it with tile=)\n"},
    {"syntax error",
     "[wall]\n"
     "grid=4x3\n"
     "foo\n"
     "[camera a\n"
     "source=test\n",
     "t.ini:3: line is not a [section], a key=value or a # comment\n"
     "t.ini:4: '[' without a closing ']'\n"},
    {"unknown section types and bad ids",
     "[wall]\n"
     "grid=4x3\n"
     "[cammera x]\n"
     "[foo]\n"
     "[camera]\n"
     "[camera Pasar]\n"
     "[camera abcdefghijabcdefghijabcdefghij12]\n",
     "t.ini:3: cammera.x: unknown section type 'cammera' (did you mean 'camera'?)\n"
     "t.ini:4: foo: unknown section type 'foo' (allowed: [wall], [camera ID], [panel ID], [page ID])\n"
     "t.ini:5: camera: missing id: write [camera ID], e.g. [camera pelabuhan]\n"
     "t.ini:5: camera.tile: missing required key 'tile' (tile=COLUMN,ROW)\n"
     "t.ini:5: camera.source: missing required key 'source' (source=test, test:PATTERN or"
     " rtsp://...; or endpoint= alone for a camera whose worker runs elsewhere)\n"
     "t.ini:6: camera.Pasar: 'Pasar' is not a valid id (allowed: 1..31 characters a-z, 0-9,"
     " '_', '-')\n"
     "t.ini:6: camera.Pasar.tile: missing required key 'tile' (tile=COLUMN,ROW)\n"
     "t.ini:6: camera.Pasar.source: missing required key 'source' (source=test, test:PATTERN"
     " or rtsp://...; or endpoint= alone for a camera whose worker runs elsewhere)\n"
     "t.ini:7: camera.abcdefghijabcdefghijabcdefghij12: 'abcdefghijabcdefghijabcdefghij12' is"
     " not a valid id (allowed: 1..31 characters a-z, 0-9, '_', '-')\n"
     "t.ini:7: camera.abcdefghijabcdefghijabcdefghij12.tile: missing required key 'tile'"
     " (tile=COLUMN,ROW)\n"
     "t.ini:7: camera.abcdefghijabcdefghijabcdefghij12.source: missing required key 'source'"
     " (source=test, test:PATTERN or rtsp://...; or endpoint= alone for a camera whose worker"
     " runs elsewhere)\n"},
    {"unknown and duplicate keys",
     "[wall]\n"
     "grid=4x3\n"
     "lable=x\n"
     "grid=2x2\n"
     "[camera a]\n"
     "lable=A\n"
     "source=test\n"
     "tile=0,0\n"
     "foo=1\n",
     "t.ini:3: wall.lable: unknown key 'lable' (allowed in [wall]: title, canvas, grid, fps,"
     " gap, credentials, language, display, screens, screen_mode, fullscreen, endpoint_dir,"
     " recordings, retention, quota_total, control, rotate_s)\n"
     "t.ini:4: wall.grid: duplicate key 'grid' (first on line 2)\n"
     "t.ini:6: camera.a.lable: unknown key 'lable' (did you mean 'label'?)\n"
     "t.ini:9: camera.a.foo: unknown key 'foo' (allowed in [camera]: label, source, endpoint,"
     " tile, span, transport, fit, latency_ms, decoder, record, retention, quota, main_uri, page,"
     " always_live, screen, onvif, profile)\n"},
    {"duplicate ids shared by cameras and panels",
     "[wall]\n"
     "grid=4x3\n"
     "[camera a]\n"
     "source=test\n"
     "tile=0,0\n"
     "[panel a]\n"
     "type=counters\n"
     "tile=1,0\n"
     "[camera a]\n"
     "source=test\n"
     "tile=2,0\n",
     "t.ini:6: panel.a: duplicate id 'a': camera 'a' on line 3 has it (cameras and panels"
     " share ids)\n"
     "t.ini:9: camera.a: duplicate id 'a': camera 'a' on line 3 has it (cameras and panels"
     " share ids)\n"},
    {"missing required keys",
     "[wall]\n"
     "[camera a]\n"
     "label=A\n"
     "[panel p]\n"
     "tile=0,0\n",
     "t.ini:1: wall.grid: missing required key 'grid' (grid=COLUMNSxROWS)\n"
     "t.ini:2: camera.a.tile: missing required key 'tile' (tile=COLUMN,ROW)\n"
     "t.ini:2: camera.a.source: missing required key 'source' (source=test, test:PATTERN or"
     " rtsp://...; or endpoint= alone for a camera whose worker runs elsewhere)\n"
     "t.ini:4: panel.p.type: missing required key 'type' (type=counters|text)\n"},
    {"bad wall values",
     "[wall]\n"
     "grid=4x3\n"
     "fps=fast\n"
     "gap=65\n"
     "display=-1\n"
     "canvas=1920*1080\n"
     "fullscreen=maybe\n"
     "language=jv\n"
     "credentials=\n"
     "title=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n"
     "endpoint_dir=\n",
     "t.ini:3: wall.fps: 'fast' is not a whole number (allowed 1..60)\n"
     "t.ini:4: wall.gap: '65' is out of range (allowed 0..64)\n"
     "t.ini:5: wall.display: '-1' is out of range (allowed 0..15)\n"
     "t.ini:6: wall.canvas: '1920*1080' is not WIDTHxHEIGHT (e.g. 1920x1080)\n"
     "t.ini:7: wall.fullscreen: 'maybe' is not allowed (allowed: true, false, yes, no, 1, 0)\n"
     "t.ini:8: wall.language: 'jv' is not allowed (allowed: id, en)\n"
     "t.ini:9: wall.credentials: empty path (leave the key out to get the default)\n"
     "t.ini:10: wall.title:"
     " 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...' is 121"
     " characters long (allowed at most 120)\n"
     "t.ini:11: wall.endpoint_dir: empty path (leave the key out to get the default)\n"},
    {"bad camera values",
     "[wall]\n"
     "grid=4x3\n"
     "fps=99999999999\n"
     "[camera a]\n"
     "source=test\n"
     "tile=0;0\n"
     "span=0x1\n"
     "transport=tcpx\n"
     "fit=lettrbox\n"
     "latency_ms=5001\n"
     "label=\n"
     "[camera b]\n"
     "source=test\n"
     "tile=1,-1\n"
     "span=2\n"
     "label=" E10 E10 E10 E10 E10 E10 E10 E10 "é\n"
     "decoder=NV H264\n",
     "t.ini:3: wall.fps: '99999999999' is out of range (allowed 1..60)\n"
     "t.ini:6: camera.a.tile: '0;0' is not COLUMN,ROW (e.g. 0,0)\n"
     "t.ini:7: camera.a.span: '0x1' is out of range (allowed 1..16 for each number)\n"
     "t.ini:8: camera.a.transport: 'tcpx' is not allowed (did you mean 'tcp'? allowed: tcp,"
     " udp)\n"
     "t.ini:9: camera.a.fit: 'lettrbox' is not allowed (did you mean 'letterbox'? allowed:"
     " letterbox, crop, stretch)\n"
     "t.ini:10: camera.a.latency_ms: '5001' is out of range (allowed 0..5000)\n"
     "t.ini:11: camera.a.label: empty value (leave the key out to get the default)\n"
     "t.ini:14: camera.b.tile: '1,-1' is out of range (allowed 0..15 for each number)\n"
     "t.ini:15: camera.b.span: '2' is not COLUMNSxROWS (e.g. 2x1)\n"
     "t.ini:16: camera.b.label: 'éééééééééééééééééééééééééééééééééééé...' is 81 characters"
     " long (allowed at most 80)\n"
     "t.ini:17: camera.b.decoder: 'NV H264' is not auto, software or a GStreamer decoder name"
     " (lower-case letters, digits and _, at most 31, e.g. avdec_h264, nvh264dec, vah264dec)\n"},
    {"tiles outside the grid",
     "[wall]\n"
     "grid=4x3\n"
     "[camera a]\n"
     "source=test\n"
     "tile=4,0\n"
     "[camera b]\n"
     "source=test\n"
     "tile=0,3\n"
     "[camera c]\n"
     "source=test\n"
     "tile=3,2\n"
     "span=2x1\n"
     "[panel d]\n"
     "type=counters\n"
     "tile=2,0\n"
     "span=1x4\n",
     "t.ini:5: camera.a.tile: tile 4,0 is outside the 4x3 grid (columns 0..3, rows 0..2)\n"
     "t.ini:8: camera.b.tile: tile 0,3 is outside the 4x3 grid (columns 0..3, rows 0..2)\n"
     "t.ini:12: camera.c.span: span 2x1 from tile 3,2 runs past the 4x3 grid (at most 1x1"
     " fits there)\n"
     "t.ini:16: panel.d.span: span 1x4 from tile 2,0 runs past the 4x3 grid (at most 2x3 fits"
     " there)\n"},
    {"overlapping tiles",
     "[wall]\n"
     "grid=4x3\n"
     "[camera a]\n"
     "source=test\n"
     "tile=0,0\n"
     "span=2x2\n"
     "[camera b]\n"
     "source=test\n"
     "tile=1,1\n"
     "[panel p]\n"
     "type=counters\n"
     "tile=0,1\n"
     "span=4x1\n",
     "t.ini:9: camera.b.tile: camera 'b' (tile 1,1 span 1x1) overlaps camera 'a' (tile 0,0"
     " span 2x2, line 5)\n"
     "t.ini:12: panel.p.tile: panel 'p' (tile 0,1 span 4x1) overlaps camera 'a' (tile 0,0"
     " span 2x2, line 5)\n"
     "t.ini:12: panel.p.tile: panel 'p' (tile 0,1 span 4x1) overlaps camera 'b' (tile 1,1"
     " span 1x1, line 9)\n"},
    {"bad sources",
     "[wall]\n"
     "grid=4x3\n"
     "[camera c]\n"
     "source=rtsp:///stream\n"
     "tile=0,0\n"
     "[camera d]\n"
     "source=rtsp://cam:99999/x\n"
     "tile=1,0\n"
     "[camera e]\n"
     "source=rtsp://cam one/x\n"
     "tile=2,0\n"
     "[camera f]\n"
     "source=rtsp://kamera·satu/x\n"
     "tile=3,0\n"
     "[camera g]\n"
     "source=http://cam/x\n"
     "tile=0,1\n"
     "[camera h]\n"
     "source=test:bal\n"
     "tile=1,1\n"
     "[camera i]\n"
     "source=test:\n"
     "tile=2,1\n"
     "[camera j]\n"
     "source=rtsp://[::1/x\n"
     "tile=3,1\n"
     "[camera k]\n"
     "source=rtsp://ca$m/x\n"
     "tile=0,2\n"
     "[camera l]\n"
     "source=rtsp://cam:/x\n"
     "tile=1,2\n"
     "[camera m]\n"
     "source=TEST\n"
     "tile=2,2\n",
     "t.ini:4: camera.c.source: 'rtsp:///stream' has no host (e.g. 192.168.1.20 or"
     " cam1.local)\n"
     "t.ini:7: camera.d.source: 'rtsp://cam:99999/x' has a bad port (allowed 1..65535)\n"
     "t.ini:10: camera.e.source: 'rtsp://cam one/x' contains a space (write it as %20)\n"
     "t.ini:13: camera.f.source: 'rtsp://kamera·satu/x' contains a character that is not"
     " plain ASCII (percent-encode it)\n"
     "t.ini:16: camera.g.source: 'http://cam/x' is not a source (allowed: test, test:PATTERN,"
     " rtsp://HOST[:PORT]/PATH, rtsps://...)\n"
     "t.ini:19: camera.h.source: unknown test pattern 'bal' (did you mean 'ball'? see"
     " docs/layout.md)\n"
     "t.ini:22: camera.i.source: 'test:' needs a pattern after the colon (e.g. test:ball), or"
     " write just test\n"
     "t.ini:25: camera.j.source: 'rtsp://[::1/x' has a bad host (e.g. 192.168.1.20 or"
     " cam1.local)\n"
     "t.ini:28: camera.k.source: 'rtsp://ca$m/x' has a bad host (e.g. 192.168.1.20 or"
     " cam1.local)\n"
     "t.ini:31: camera.l.source: 'rtsp://cam:/x' has a bad port (allowed 1..65535)\n"
     "t.ini:34: camera.m.source: 'TEST' is not a source (allowed: test, test:PATTERN,"
     " rtsp://HOST[:PORT]/PATH, rtsps://...)\n"},
    {"inline credentials in URIs",
     "[wall]\n"
     "grid=4x3\n"
     "[camera a]\n"
     "source=rtsp://admin:hunter2@192.168.1.20/stream\n"
     "tile=0,0\n"
     "[camera b]\n"
     "source=rtsp://hunter2@192.168.1.20/stream\n"
     "tile=1,0\n"
     "[camera c]\n"
     "source=rtsps://u:hunter2/x@cam/s\n"
     "tile=2,0\n"
     "[camera d]\n"
     "endpoint=tcp://u:hunter2@host:5\n"
     "tile=3,0\n"
     "[camera e]\n"
     "source=u:hunter2@cam/x\n"
     "tile=0,1\n",
     "t.ini:4: camera.a.source: 'rtsp://***@192.168.1.20/stream' has a password in it: remove"
     " 'USER:PASSWORD@' from the URI and put username= and password= under [a] in the"
     " credentials file\n"
     "t.ini:7: camera.b.source: 'rtsp://***@192.168.1.20/stream' has a user name or token"
     " before '@': remove it from the URI and put username= (or token=) under [b] in the"
     " credentials file (write an '@' that belongs to the path as %40)\n"
     "t.ini:10: camera.c.source: 'rtsps://***@cam/s' has a password in it: remove"
     " 'USER:PASSWORD@' from the URI and put username= and password= under [c] in the"
     " credentials file\n"
     "t.ini:13: camera.d.endpoint: 'tcp://***@host:5' has a password in it: remove"
     " 'USER:PASSWORD@' from the URI and put username= and password= under [d] in the"
     " credentials file\n"
     "t.ini:16: camera.e.source: '...' is not a source (allowed: test, test:PATTERN,"
     " rtsp://HOST[:PORT]/PATH, rtsps://...)\n"},
    {"bad endpoints",
     "[wall]\n"
     "grid=4x3\n"
     "[camera a]\n"
     "endpoint=tcp://host\n"
     "tile=0,0\n"
     "[camera b]\n"
     "endpoint=zmq://x\n"
     "tile=1,0\n"
     "[camera c]\n"
     "endpoint=ipc://\n"
     "tile=2,0\n"
     "[camera d]\n"
     "endpoint=ipc:///pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp"
     "ppppppppppppppppppppppppppppppppppp\n"
     "tile=3,0\n"
     "[camera e]\n"
     "endpoint=tcp://*:5600\n"
     "tile=0,1\n"
     "[camera f]\n"
     "endpoint=tcp://host:0\n"
     "tile=1,1\n",
     "t.ini:4: camera.a.endpoint: 'tcp://host' needs a port (e.g. tcp://192.168.1.30:5600)\n"
     "t.ini:7: camera.b.endpoint: 'zmq://x' is not an endpoint (allowed: ipc://PATH,"
     " tcp://HOST:PORT)\n"
     "t.ini:10: camera.c.endpoint: 'ipc://' has no path (e.g. ipc:///tmp/pantau/cam1)\n"
     "t.ini:13: camera.d.endpoint: ipc path is 108 bytes long (allowed at most 107)\n"
     "t.ini:16: camera.e.endpoint: 'tcp://*:5600' has a bad host (e.g. 192.168.1.20 or"
     " cam1.local)\n"
     "t.ini:19: camera.f.endpoint: 'tcp://host:0' has a bad port (allowed 1..65535)\n"},
    {"recording keys",
     "[wall]\n"
     "grid=2x1\n"
     "recordings=rec\n"
     "retention=7days\n"
     "quota_total=5GB\n"
     "[camera a]\n"
     "source=rtsp://10.0.0.1/s\n"
     "tile=0,0\n"
     "record=maybe\n"
     "retention=-1d\n"
     "quota=lots\n",
     "t.ini:4: wall.retention: '7days' is not a duration (e.g. 90s, 30m, 12h, 7d; at most"
     " 3650d)\n"
     "t.ini:5: wall.quota_total: '5GB' is not a size (e.g. 500M, 20G, 1T; K/M/G/T are powers"
     " of 1024)\n"
     "t.ini:9: camera.a.record: 'maybe' is not allowed (allowed: on, off, true, false, yes, no)\n"
     "t.ini:10: camera.a.retention: '-1d' is not a duration (e.g. 90s, 30m, 12h, 7d; at most"
     " 3650d)\n"
     "t.ini:11: camera.a.quota: 'lots' is not a size (e.g. 500M, 20G, 1T; K/M/G/T are powers"
     " of 1024)\n"},
    {"socket folder too long",
     "[wall]\n"
     "grid=1x1\n"
     "endpoint_dir=/" X10 X10 X10 X10 X10 X10 X10 "\n",
     "t.ini:3: wall.endpoint_dir: folder is 71 bytes long once made absolute; ipc:// socket"
     " paths are limited, so at most 70 bytes are allowed\n"},
    {"cells under 8 px",
     "[wall]\n"
     "grid=16x16\n"
     "canvas=160x160\n",
     "t.ini:2: wall.grid: grid 16x16 leaves cells smaller than 8 px on a 160x160 canvas with"
     " gap 4; use fewer cells, a smaller gap or a larger canvas\n"},
    {"title bar leaves cells under 8 px",
     "[wall]\n"
     "grid=16x16\n"
     "canvas=200x160\n"
     "gap=1\n"
     "title=Judul\n",
     "t.ini:2: wall.grid: grid 16x16 leaves cells smaller than 8 px on a 200x160 canvas with"
     " gap 1 and a title bar; use fewer cells, a smaller gap or a larger canvas\n"},
    {"duplicate wall",
     "[wall]\n"
     "grid=4x3\n"
     "[wall x]\n"
     "grid=9x9\n"
     "fps=0\n",
     "t.ini:3: wall: [wall] takes no name ('x'): write just [wall]\n"
     "t.ini:3: wall: duplicate [wall] section (first on line 1)\n"
     "t.ini:5: wall.fps: '0' is out of range (allowed 1..60)\n"},
    {"panel rules",
     "[wall]\n"
     "grid=4x3\n"
     "[panel p]\n"
     "type=counters\n"
     "text=halo\n"
     "tile=0,0\n"
     "[panel q]\n"
     "type=txt\n"
     "tile=1,0\n",
     "t.ini:5: panel.p.text: text= is only shown by type=text panels (this one is"
     " type=counters)\n"
     "t.ini:8: panel.q.type: 'txt' is not allowed (did you mean 'text'? allowed: counters,"
     " text)\n"},
    {"missing wall",
     "[camera a]\n"
     "source=test\n"
     "tile=0,0\n",
     "t.ini: wall: no [wall] section (every layout needs one, with grid=COLUMNSxROWS)\n"},
    {"empty file",
     "",
     "t.ini: wall: no [wall] section (every layout needs one, with grid=COLUMNSxROWS)\n"},
    {"errors from every layer at once",
     "title=early\n"
     "[wall]\n"
     "grid=4x3\n"
     "fps=0\n"
     "[camera pasar]\n"
     "source=rtsp://admin:hunter2@10.0.0.9/s\n"
     "tile=0,0\n"
     "[camera simpang]\n"
     "lable=Simpang\n"
     "source=test\n"
     "tile=0,0\n"
     "[panel info]\n"
     "type=counters\n"
     "tile=5,5\n"
     "\xFF" "\n",
     "t.ini:1: key before any [section]\n"
     "t.ini:4: wall.fps: '0' is out of range (allowed 1..60)\n"
     "t.ini:6: camera.pasar.source: 'rtsp://***@10.0.0.9/s' has a password in it: remove"
     " 'USER:PASSWORD@' from the URI and put username= and password= under [pasar] in the"
     " credentials file\n"
     "t.ini:9: camera.simpang.lable: unknown key 'lable' (did you mean 'label'?)\n"
     "t.ini:11: camera.simpang.tile: camera 'simpang' (tile 0,0 span 1x1) overlaps camera"
     " 'pasar' (tile 0,0 span 1x1, line 7)\n"
     "t.ini:14: panel.info.tile: tile 5,5 is outside the 4x3 grid (columns 0..3, rows 0..2)\n"
     "t.ini:15: bytes that are not UTF-8 (save the file as UTF-8)\n"},
};

/* Parses text as FILE_NAME; returns the layout (or NULL) and leaves the errors in *errs. */
static layout_t *parse(const char *text, layout_errors_t *errs)
{
    return layout_parse(text, strlen(text), FILE_NAME, errs);
}

static void test_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof error_cases / sizeof error_cases[0]; i++) {
        const error_case_t *c = &error_cases[i];
        layout_errors_t errs = {NULL, 0, 0};
        layout_t *L = parse(c->text, &errs);
        char *got = layout_errors_format(&errs);
        assert_non_null(got);
        if (L != NULL)
            fail_msg("case '%s': accepted", c->name);
        if (strcmp(got, c->want) != 0)
            fail_msg("case '%s': got\n%s\nwant\n%s", c->name, got, c->want);
        assert_null(strstr(got, "hunter2"));
        for (int e = 0; e < errs.count; e++) {
            assert_string_equal(errs.items[e].file, FILE_NAME);
            assert_null(strchr(errs.items[e].message, '\n'));
        }
        free(got);
        layout_errors_clear(&errs);
        assert_int_equal(errs.count, 0);
        assert_null(errs.items);
    }
}

static const char minimal[] = "[wall]\n"
                              "grid=2x2\n"
                              "[camera a]\n"
                              "source=test\n"
                              "tile=0,0\n";

static void test_defaults(void **state)
{
    (void)state;
    layout_errors_t errs = {NULL, 0, 0};
    layout_t *L = parse(minimal, &errs);
    assert_non_null(L);
    assert_int_equal(errs.count, 0);
    assert_string_equal(L->path, FILE_NAME);
    assert_null(L->title);
    assert_int_equal(L->canvas_w, 1920);
    assert_int_equal(L->canvas_h, 1080);
    assert_int_equal(L->cols, 2);
    assert_int_equal(L->rows, 2);
    assert_int_equal(L->fps, 25);
    assert_int_equal(L->gap, 4);
    assert_null(L->credentials);
    assert_string_equal(L->language, "id");
    assert_int_equal(L->display, 0);
    assert_false(L->fullscreen);
    assert_string_equal(L->endpoint_dir, "/tmp/pantau");
    assert_null(L->recordings); /* no recording unless asked for */
    assert_string_equal(L->retention, "7d");
    assert_string_equal(L->quota_total, "0");
    assert_true(L->cameras[0].record);
    assert_null(L->cameras[0].retention);
    assert_string_equal(L->cameras[0].quota, "0");
    assert_int_equal(L->n_cameras, 1);
    assert_int_equal(L->n_panels, 0);
    const layout_camera_t *c = &L->cameras[0];
    assert_string_equal(c->id, "a");
    assert_string_equal(c->label, "a");
    assert_int_equal(c->kind, LAYOUT_SOURCE_TEST);
    assert_string_equal(c->source, "test");
    assert_null(c->endpoint);
    assert_int_equal(c->cell.col, 0);
    assert_int_equal(c->cell.row, 0);
    assert_int_equal(c->cell.cols, 1);
    assert_int_equal(c->cell.rows, 1);
    assert_int_equal(c->transport, LAYOUT_TRANSPORT_TCP);
    assert_int_equal(c->fit, GRID_FIT_LETTERBOX);
    assert_int_equal(c->latency_ms, 80);
    assert_string_equal(c->decoder, "auto");
    assert_int_equal(c->line, 3);
    layout_destroy(&L);
    assert_null(L);
}

static const char full[] =
    "# every key set, none to its default\n"
    "[wall]\n"
    "title = Smart Room Kota · Uji\n"
    "canvas = 3840 x 2160\n"
    "grid = 6x4\n"
    "fps = 30\n"
    "gap = 0\n"
    "credentials = /etc/pantau/kota.credentials\n"
    "language = en\n"
    "display = 1\n"
    "fullscreen = yes\n"
    "endpoint_dir = /run/pantau\n"
    "\n"
    "[camera pelabuhan]\n"
    "label = Pelabuhan Loktuan\n"
    "source = rtsp://192.168.10.21:554/Streaming/Channels/102?transport=tcp#x\n"
    "endpoint = ipc:///run/pantau/pelabuhan\n"
    "tile = 0,0\n"
    "span = 2x2\n"
    "transport = udp\n"
    "fit = crop\n"
    "latency_ms = 0\n"
    "[camera v6]\n"
    "source = rtsps://[fe80::1]:322/s\n"
    "tile = 2,0\n"
    "fit = stretch\n"
    "latency_ms = 5000\n"
    "[camera kantor_desa-2]\n"
    "endpoint = tcp://kantor-desa.local:5601\n"
    "tile = 3,0\n"
    "[camera pasar]\n"
    "source = test:smpte-rp-219\n"
    "tile = 5,3\n"
    "[panel pengaduan]\n"
    "type = counters\n"
    "tile = 4,0\n"
    "span = 2x3\n"
    "[panel info]\n"
    "type = text\n"
    "title = Catatan\n"
    "text = Hubungi 112 # darurat\n"
    "tile = 0,3\n"
    "[panel kosong]\n"
    "type = text\n"
    "tile = 1,3\n";

static void test_full_layout(void **state)
{
    (void)state;
    layout_errors_t errs = {NULL, 0, 0};
    layout_t *L = parse(full, &errs);
    if (L == NULL) {
        char *s = layout_errors_format(&errs);
        fail_msg("rejected:\n%s", s);
    }
    assert_string_equal(L->title, "Smart Room Kota · Uji");
    assert_int_equal(L->canvas_w, 3840);
    assert_int_equal(L->canvas_h, 2160);
    assert_int_equal(L->cols, 6);
    assert_int_equal(L->rows, 4);
    assert_int_equal(L->fps, 30);
    assert_int_equal(L->gap, 0);
    assert_string_equal(L->credentials, "/etc/pantau/kota.credentials");
    assert_string_equal(L->language, "en");
    assert_int_equal(L->display, 1);
    assert_true(L->fullscreen);
    assert_string_equal(L->endpoint_dir, "/run/pantau");
    assert_int_equal(L->n_cameras, 4);
    const layout_camera_t *c = &L->cameras[0];
    assert_string_equal(c->id, "pelabuhan");
    assert_string_equal(c->label, "Pelabuhan Loktuan");
    assert_int_equal(c->kind, LAYOUT_SOURCE_RTSP);
    assert_string_equal(c->source,
                        "rtsp://192.168.10.21:554/Streaming/Channels/102?transport=tcp#x");
    assert_string_equal(c->endpoint, "ipc:///run/pantau/pelabuhan");
    assert_int_equal(c->cell.cols, 2);
    assert_int_equal(c->cell.rows, 2);
    assert_int_equal(c->transport, LAYOUT_TRANSPORT_UDP);
    assert_int_equal(c->fit, GRID_FIT_CROP);
    assert_int_equal(c->latency_ms, 0);
    assert_int_equal(c->line, 14);
    c = &L->cameras[1];
    assert_int_equal(c->kind, LAYOUT_SOURCE_RTSP);
    assert_int_equal(c->fit, GRID_FIT_STRETCH);
    assert_int_equal(c->latency_ms, 5000);
    c = &L->cameras[2];
    assert_string_equal(c->id, "kantor_desa-2");
    assert_int_equal(c->kind, LAYOUT_SOURCE_REMOTE);
    assert_null(c->source);
    assert_string_equal(c->endpoint, "tcp://kantor-desa.local:5601");
    c = &L->cameras[3];
    assert_int_equal(c->kind, LAYOUT_SOURCE_TEST);
    assert_string_equal(c->source, "test:smpte-rp-219");
    assert_int_equal(c->cell.col, 5);
    assert_int_equal(c->cell.row, 3);
    assert_int_equal(L->n_panels, 3);
    const layout_panel_t *p = &L->panels[0];
    assert_string_equal(p->id, "pengaduan");
    assert_int_equal(p->type, LAYOUT_PANEL_COUNTERS);
    assert_string_equal(p->title, "Public complaints" /* default, language=en */);
    assert_null(p->text);
    assert_int_equal(p->cell.col, 4);
    assert_int_equal(p->cell.rows, 3);
    assert_int_equal(p->line, 34);
    p = &L->panels[1];
    assert_int_equal(p->type, LAYOUT_PANEL_TEXT);
    assert_string_equal(p->title, "Catatan");
    assert_string_equal(p->text, "Hubungi 112 # darurat");
    p = &L->panels[2];
    assert_string_equal(p->title, "Information");
    assert_null(p->text);
    layout_destroy(&L);
    layout_errors_clear(&errs);
}

/* Values each type accepts, in a camera or the wall; each must parse. */
static void test_accepted_values(void **state)
{
    (void)state;
    static const char *const wall_lines[] = {
        "fullscreen=true", "fullscreen=FALSE", "fullscreen=Yes", "fullscreen=no",
        "fullscreen=1", "fullscreen=0", "canvas=160x160", "canvas=16384X16384", "fps=1", "fps=60",
        "gap=64", "display=15", "title=", "language=id", "grid=1x1",
    };
    static const char *const camera_lines[] = {
        "source=test", "source=test:ball", "source=test:pinwheel", "source=test:smpte",
        "source=RTSP://cam/x", "source=rtsp://cam", "source=rtsp://cam:554",
        "source=rtsp://10.0.0.1:1/a?b=c",
        "source=rtsp://[::1]/x", "source=rtsp://cam_1.local/%40x", "endpoint=ipc://rel/path",
        "endpoint=tcp://[::1]:5600", "endpoint=tcp://10.0.0.5:65535", "transport=UDP", "fit=Crop",
        "latency_ms=0", "label=Gerbang Tol · Km 12", "span = 1 x 1", "tile = 0 , 0",
    };
    char text[512];
    for (size_t i = 0; i < sizeof wall_lines / sizeof wall_lines[0]; i++) {
        snprintf(text, sizeof text, "[wall]\n%s\n%s[camera a]\nsource=test\ntile=0,0\n",
                 wall_lines[i], strncmp(wall_lines[i], "grid", 4) ? "grid=2x2\n" : "");
        layout_t *L = parse(text, NULL);
        if (L == NULL)
            fail_msg("wall line '%s' refused", wall_lines[i]);
        layout_destroy(&L);
    }
    for (size_t i = 0; i < sizeof camera_lines / sizeof camera_lines[0]; i++) {
        const char *line = camera_lines[i];
        bool has_source = strncmp(line, "source", 6) == 0 || strncmp(line, "endpoint", 8) == 0;
        snprintf(text, sizeof text, "[wall]\ngrid=2x2\n[camera a]\n%s%s%s\n",
                 has_source ? "" : "source=test\n", strncmp(line, "tile", 4) ? "tile=0,0\n" : "",
                 line);
        layout_t *L = parse(text, NULL);
        if (L == NULL)
            fail_msg("camera line '%s' refused", line);
        layout_destroy(&L);
    }
}

/* Relative paths are taken from the layout file's folder and stored absolute. */
static void test_paths(void **state)
{
    (void)state;
    char cwd[1024], want[1200], text[256];
    assert_non_null(getcwd(cwd, sizeof cwd));
    static const struct {
        const char *file, *value, *want; /* want: NULL = cwd-relative, computed below */
        const char *rel;                 /* when want is NULL: the part after cwd */
    } t[] = {
        {"/srv/pantau/kota.ini", "kota.credentials", "/srv/pantau/kota.credentials", NULL},
        {"/srv/pantau/kota.ini", "rahasia/kota.credentials", "/srv/pantau/rahasia/kota.credentials",
         NULL},
        {"/srv/pantau/kota.ini", "../etc/./k.credentials", "/srv/etc/k.credentials", NULL},
        {"/srv/pantau/kota.ini", "/etc/k.credentials", "/etc/k.credentials", NULL},
        {"/kota.ini", "k.credentials", "/k.credentials", NULL},
        {"layouts/kota.ini", "k.credentials", NULL, "/layouts/k.credentials"},
        {"kota.ini", "k.credentials", NULL, "/k.credentials"},
        {NULL, "k.credentials", NULL, "/k.credentials"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        /* endpoint_dir too, where the result does not depend on the (maybe long) cwd */
        snprintf(text, sizeof text, "[wall]\ngrid=1x1\ncredentials=%s\n%s%s\n", t[i].value,
                 t[i].want != NULL ? "endpoint_dir=" : "", t[i].want != NULL ? t[i].value : "");
        layout_t *L = layout_parse(text, strlen(text), t[i].file, NULL);
        assert_non_null(L);
        if (t[i].want != NULL)
            snprintf(want, sizeof want, "%s", t[i].want);
        else
            snprintf(want, sizeof want, "%s%s", strcmp(cwd, "/") ? cwd : "", t[i].rel);
        assert_string_equal(L->credentials, want);
        assert_string_equal(L->endpoint_dir, t[i].want != NULL ? want : "/tmp/pantau");
        assert_string_equal(L->path, t[i].file != NULL ? t[i].file : "<string>");
        layout_destroy(&L);
    }
}

static void test_shipped_layouts(void **state)
{
    (void)state;
    layout_errors_t errs = {NULL, 0, 0};
    layout_t *L = layout_load(PANTAU_SOURCE_DIR "/layouts/demo.ini", &errs);
    if (L == NULL) {
        char *s = layout_errors_format(&errs);
        fail_msg("demo.ini:\n%s", s);
    }
    assert_int_equal(L->cols, 4);
    assert_int_equal(L->rows, 3);
    assert_int_equal(L->canvas_w, 1920);
    assert_int_equal(L->fps, 25);
    assert_int_equal(L->n_cameras, 9);
    assert_non_null(L->title);
    assert_true(strlen(L->title) > 0);
    for (int i = 0; i < L->n_cameras; i++) {
        const layout_camera_t *c = &L->cameras[i];
        assert_int_equal(c->kind, LAYOUT_SOURCE_TEST);
        assert_int_equal(strncmp(c->source, "test:", 5), 0);
        assert_in_range(c->cell.col, 0, 2);
        assert_in_range(c->cell.row, 0, 2);
        assert_string_not_equal(c->label, c->id);
    }
    assert_non_null(layout_find_camera(L, "pelabuhan"));
    assert_string_equal(layout_find_camera(L, "pelabuhan")->label, "Pelabuhan Loktuan");
    assert_int_equal(L->n_panels, 1);
    assert_string_equal(L->panels[0].id, "pengaduan");
    assert_int_equal(L->panels[0].type, LAYOUT_PANEL_COUNTERS);
    assert_string_equal(L->panels[0].title, "Pengaduan Masyarakat");
    assert_int_equal(L->panels[0].cell.col, 3);
    assert_int_equal(L->panels[0].cell.rows, 3);
    layout_destroy(&L);

    L = layout_load(PANTAU_SOURCE_DIR "/layouts/rtsp-example.ini", &errs);
    assert_non_null(L);
    assert_string_equal(L->credentials, PANTAU_SOURCE_DIR "/layouts/example.credentials");
    int rtsp = 0, remote = 0, spans = 0, udp = 0, crop = 0;
    for (int i = 0; i < L->n_cameras; i++) {
        const layout_camera_t *c = &L->cameras[i];
        rtsp += c->kind == LAYOUT_SOURCE_RTSP;
        remote += c->kind == LAYOUT_SOURCE_REMOTE;
        spans += c->cell.cols == 2 && c->cell.rows == 2;
        udp += c->transport == LAYOUT_TRANSPORT_UDP;
        crop += c->fit == GRID_FIT_CROP;
    }
    assert_true(rtsp >= 2);
    assert_int_equal(remote, 1);
    assert_int_equal(spans, 1);
    assert_int_equal(udp, 1);
    assert_int_equal(crop, 1);
    layout_destroy(&L);
    assert_int_equal(errs.count, 0);

    L = layout_load(PANTAU_SOURCE_DIR "/layouts/two-screens-example.ini", &errs);
    if (L == NULL) {
        char *s = layout_errors_format(&errs);
        fail_msg("two-screens-example.ini:\n%s", s);
    }
    assert_int_equal(L->screens, 2);
    assert_int_equal(L->screen_mode, LAYOUT_SCREENS_WINDOWS);
    int on[3] = {0, 0, 0};
    for (int i = 0; i < L->n_cameras; i++)
        on[L->cameras[i].screen]++;
    assert_true(on[1] > 0 && on[2] > 0);
    assert_int_equal(L->panels[0].screen, 2);
    layout_destroy(&L);

    L = layout_load(PANTAU_SOURCE_DIR "/layouts/onvif-example.ini", &errs);
    if (L == NULL) {
        char *s = layout_errors_format(&errs);
        fail_msg("onvif-example.ini:\n%s", s);
    }
    assert_int_equal(L->n_cameras, 2);
    assert_int_equal(L->cameras[0].kind, LAYOUT_SOURCE_ONVIF);
    assert_int_equal(L->cameras[1].kind, LAYOUT_SOURCE_ONVIF);
    assert_string_equal(layout_find_camera(L, "gerbang")->profile, "Profile_1");
    layout_destroy(&L);
}

/* Panel titles left to their default follow the wall's language, wherever [wall] is. */
static void test_default_panel_titles_follow_language(void **state)
{
    (void)state;
    layout_errors_t errs = {0};
    const char *en = "[panel p]\ntype=counters\ntile=0,0\n[panel q]\ntype=text\ntext=x\n"
                     "tile=1,0\n[panel r]\ntype=counters\ntitle=Aduan Warga\ntile=2,0\n"
                     "[wall]\ncanvas=1280x720\ngrid=3x1\nlanguage=en\n";
    layout_t *L = parse(en, &errs);
    assert_non_null(L);
    assert_string_equal(L->panels[0].title, "Public complaints");
    assert_string_equal(L->panels[1].title, "Information");
    assert_string_equal(L->panels[2].title, "Aduan Warga"); /* given: kept */
    layout_destroy(&L);
    const char *id = "[wall]\ncanvas=1280x720\ngrid=3x1\n[panel p]\ntype=counters\ntile=0,0\n";
    L = parse(id, &errs);
    assert_non_null(L);
    assert_string_equal(L->panels[0].title, "Pengaduan Masyarakat");
    layout_destroy(&L);
    layout_errors_clear(&errs);
}

static void test_load_missing_file(void **state)
{
    (void)state;
    layout_errors_t errs = {NULL, 0, 0};
    assert_null(layout_load("/nonexistent/kota.ini", &errs));
    char *s = layout_errors_format(&errs);
    assert_string_equal(s, "/nonexistent/kota.ini: cannot read the layout: No such file or "
                           "directory\n");
    assert_int_equal(errs.items[0].line, 0);
    assert_null(errs.items[0].key);
    free(s);
    layout_errors_clear(&errs);
    assert_null(layout_load(NULL, &errs));
    assert_int_equal(errs.count, 1);
    layout_errors_clear(&errs);
    assert_null(layout_load(PANTAU_SOURCE_DIR, NULL)); /* a folder; errors discarded */
}

/* 65 cameras or 17 panels: one error, at the first one too many. */
static void test_limits(void **state)
{
    (void)state;
    size_t cap = 64 * 1024;
    char *text = malloc(cap);
    assert_non_null(text);
    for (int panels = 0; panels <= 1; panels++) {
        int n = panels ? LAYOUT_MAX_PANELS + 2 : LAYOUT_MAX_CAMERAS + 2, len;
        len = snprintf(text, cap, "[wall]\ngrid=16x16\n");
        for (int i = 0; i < n; i++)
            len += snprintf(text + len, cap - (size_t)len,
                            panels ? "[panel p%d]\ntype=counters\ntile=%d,%d\n"
                                   : "[camera c%d]\nsource=test\ntile=%d,%d\n",
                            i, i % 16, i / 16);
        layout_errors_t errs = {NULL, 0, 0};
        assert_null(layout_parse(text, (size_t)len, FILE_NAME, &errs));
        assert_int_equal(errs.count, 1);
        int max = panels ? LAYOUT_MAX_PANELS : LAYOUT_MAX_CAMERAS;
        assert_int_equal(errs.items[0].line, 3 + 3 * max);
        char want[64];
        snprintf(want, sizeof want, "%s.%s%d", panels ? "panel" : "camera", panels ? "p" : "c",
                 max);
        assert_string_equal(errs.items[0].key, want);
        layout_errors_clear(&errs);
        /* exactly the maximum is fine */
        len = snprintf(text, cap, "[wall]\ngrid=16x16\n");
        for (int i = 0; i < max; i++)
            len += snprintf(text + len, cap - (size_t)len,
                            panels ? "[panel p%d]\ntype=counters\ntile=%d,%d\n"
                                   : "[camera c%d]\nsource=test\ntile=%d,%d\n",
                            i, i % 16, i / 16);
        layout_t *L = layout_parse(text, (size_t)len, FILE_NAME, NULL);
        assert_non_null(L);
        assert_int_equal(panels ? L->n_panels : L->n_cameras, max);
        layout_destroy(&L);
    }
    free(text);
}

/* A file of nothing but mistakes stops listing after 200, with a last line saying so. */
static void test_error_cap(void **state)
{
    (void)state;
    size_t cap = 16 * 1024;
    char *text = malloc(cap);
    assert_non_null(text);
    int len = snprintf(text, cap, "[wall]\ngrid=1x1\n");
    for (int i = 0; i < 500; i++)
        len += snprintf(text + len, cap - (size_t)len, "bad line\n");
    layout_errors_t errs = {NULL, 0, 0};
    assert_null(layout_parse(text, (size_t)len, FILE_NAME, &errs));
    assert_int_equal(errs.count, 201);
    assert_int_equal(errs.items[0].line, 0); /* sorted first: it concerns the whole file */
    assert_string_equal(errs.items[0].message, "more than 200 errors; fix these first");
    assert_int_equal(errs.items[1].line, 3);
    layout_errors_clear(&errs);
    free(text);
}

static void test_format_and_clear(void **state)
{
    (void)state;
    char *s = layout_errors_format(NULL);
    assert_string_equal(s, "");
    free(s);
    layout_errors_t errs = {NULL, 0, 0};
    s = layout_errors_format(&errs);
    assert_string_equal(s, "");
    free(s);
    layout_errors_clear(NULL);
    layout_errors_clear(&errs);
    /* Errors are appended to what the list already holds. */
    assert_null(parse("[wall]\n", &errs));
    assert_null(layout_parse("x\n", 2, "b.ini", &errs));
    s = layout_errors_format(&errs);
    assert_string_equal(s, "t.ini:1: wall.grid: missing required key 'grid' (grid=COLUMNSxROWS)\n"
                           "b.ini: wall: no [wall] section (every layout needs one, with "
                           "grid=COLUMNSxROWS)\n" /* line 0 sorts first */
                           "b.ini:1: line is not a [section], a key=value or a # comment\n");
    free(s);
    layout_errors_clear(&errs);
    assert_int_equal(errs.count, 0);
    assert_int_equal(errs.cap, 0);
}

static void test_invalid_args(void **state)
{
    (void)state;
    layout_errors_t errs = {NULL, 0, 0};
    assert_null(layout_parse(NULL, 0, NULL, &errs)); /* empty: no [wall] */
    assert_int_equal(errs.count, 1);
    assert_string_equal(errs.items[0].file, "<string>");
    layout_errors_clear(&errs);
    assert_null(layout_parse(NULL, 10, FILE_NAME, NULL));
    assert_null(parse("[wall]\n", NULL)); /* errors discarded */
    layout_t *L = NULL;
    layout_destroy(&L);
    layout_destroy(NULL);
    assert_null(layout_find_camera(NULL, "a"));
    L = parse(minimal, NULL);
    assert_non_null(L);
    assert_null(layout_find_camera(L, NULL));
    assert_null(layout_find_camera(L, "b"));
    assert_ptr_equal(layout_find_camera(L, "a"), &L->cameras[0]);
    assert_true(layout_camera_needs_restart(NULL, &L->cameras[0], L, &L->cameras[0]));
    assert_true(layout_camera_needs_restart(L, NULL, L, &L->cameras[0]));
    assert_true(layout_camera_needs_restart(L, &L->cameras[0], NULL, &L->cameras[0]));
    assert_true(layout_camera_needs_restart(L, &L->cameras[0], L, NULL));
    layout_destroy(&L);
    layout_destroy(&L);
    /* Length is honoured: the text after len is not read. */
    L = layout_parse(minimal, strlen(minimal) - 4, FILE_NAME, NULL); /* cut inside "tile=0,0" */
    assert_null(L);
}

/* ---- needs_restart --------------------------------------------------------------------------- */

/* Appends the lines of defaults[] whose key extra does not set, then extra. */
static size_t restart_section(char *out, size_t cap, const char *head,
                              const char *const defaults[3], const char *extra)
{
    size_t n = (size_t)snprintf(out, cap, "%s\n", head);
    size_t klen = strcspn(extra, "=");
    for (int i = 0; i < 3; i++)
        if (extra[0] == '\0' || strncmp(defaults[i], extra, klen + 1) != 0)
            n += (size_t)snprintf(out + n, cap - n, "%s\n", defaults[i]);
    n += (size_t)snprintf(out + n, cap - n, "%s\n", extra);
    return n;
}

/* A 4x3 wall with camera a at 0,0, with one wall key and one camera key changed. */
static layout_t *restart_layout(const char *wall, const char *camera)
{
    static const char *const wall_defaults[3] = {"canvas=1920x1080", "grid=4x3", "gap=4"};
    static const char *const camera_defaults[3] = {"label=Pasar", "source=rtsp://10.0.0.1/s",
                                                   "tile=0,0"};
    char text[512];
    size_t n = restart_section(text, sizeof text, "[wall]", wall_defaults, wall);
    restart_section(text + n, sizeof text - n, "[camera a]", camera_defaults, camera);
    layout_t *L = parse(text, NULL);
    if (L == NULL)
        fail_msg("does not parse:\n%s", text);
    return L;
}

static void test_needs_restart(void **state)
{
    (void)state;
    static const struct {
        const char *wall, *camera;
        bool want;
    } t[] = {
        {"", "", false},
        {"", "label=Pasar Baru", false},
        {"fps=10", "", false},
        {"language=en", "", false},
        {"credentials=/etc/k.credentials", "", false},
        {"", "tile=1,0", false}, /* same size elsewhere: (1920 - 5 * 4) / 4 = 475 -> even 474 */
        {"", "tile=1,1", false}, /* rows: 1064 / 3 = 354 r 2: rows 0 and 1 are 355 -> 354 */
        {"", "tile=3,2", false},
        {"canvas=1920x1081", "", false}, /* 355 high, still 354 once even */
        {"", "span=2x1", true},
        {"", "source=rtsp://10.0.0.2/s", true},
        {"", "source=test", true},       /* the kind changes too */
        {"", "endpoint=tcp://10.0.0.9:5600", true},
        {"", "transport=udp", true},
        {"", "fit=crop", true},
        {"", "latency_ms=300", true},
        {"", "decoder=software", true},
        {"canvas=1280x720", "", true},
        {"gap=0", "", true},
        {"grid=4x4", "", true},
        {"title=Smart Room", "", true},  /* the title bar takes height from the cells */
        {"title=", "", false},           /* empty title: no bar */
        {"endpoint_dir=/run/pantau", "", true}, /* the default socket moves */
        {"recordings=/srv/rec", "", true},       /* the worker's --record-dir */
        {"retention=30d", "", true},
        {"retention=7d", "", false},            /* the default written out */
        {"quota_total=1T", "", true},
        {"", "record=off", true},
        {"", "record=on", false},
        {"", "retention=1d", true},
        {"", "quota=20G", true},
    };
    layout_t *base = restart_layout("", "");
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        layout_t *next = restart_layout(t[i].wall, t[i].camera);
        bool got = layout_camera_needs_restart(base, layout_find_camera(base, "a"), next,
                                               layout_find_camera(next, "a"));
        if (got != t[i].want)
            fail_msg("case %zu (%s / %s): got %d", i, t[i].wall, t[i].camera, got);
        /* symmetric */
        assert_int_equal(layout_camera_needs_restart(next, layout_find_camera(next, "a"), base,
                                                     layout_find_camera(base, "a")),
                         got);
        layout_destroy(&next);
    }
    /* An explicit endpoint does not depend on endpoint_dir. */
    layout_t *a = restart_layout("", "endpoint=ipc:///x/a");
    layout_t *b = restart_layout("endpoint_dir=/run/pantau", "endpoint=ipc:///x/a");
    assert_false(layout_camera_needs_restart(a, &a->cameras[0], b, &b->cameras[0]));
    layout_destroy(&a);
    layout_destroy(&b);
    layout_destroy(&base);
}

static void test_pages(void **state)
{
    (void)state;
    static const char text[] = "[wall]\n"
                               "grid=2x1\n"
                               "rotate_s=20\n"
                               "[page kota]\n"
                               "label=Kota\n"
                               "[page laut]\n"
                               "[camera a]\n"
                               "source=test\n"
                               "tile=0,0\n"
                               "page=kota\n"
                               "[camera b]\n"
                               "source=test\n"
                               "tile=0,0\n"
                               "page=laut\n"
                               "always_live=yes\n"
                               "main_uri=rtsp://10.0.0.2/main\n"
                               "[camera c]\n"
                               "source=test\n"
                               "tile=1,0\n"
                               "page=all\n"
                               "[camera d]\n"
                               "source=test\n"
                               "tile=1,0\n"
                               "page=kota\n";
    layout_errors_t errs = {NULL, 0, 0};
    /* c is on every page and d on kota, at the same cell: they overlap. */
    layout_t *L = parse(text, &errs);
    assert_null(L);
    char *got = layout_errors_format(&errs);
    assert_non_null(strstr(got, "t.ini:23: camera.d.tile: camera 'd' (tile 1,0 span 1x1) overlaps "
                                "camera 'c'"));
    assert_int_equal(errs.count, 1);
    free(got);
    layout_errors_clear(&errs);

    /* Without d: a and b share a cell on different pages. */
    L = layout_parse(text, strlen(text) - strlen("[camera d]\nsource=test\ntile=1,0\npage=kota\n"),
                     FILE_NAME, &errs);
    assert_non_null(L);
    assert_int_equal(L->n_pages, 2);
    assert_int_equal(layout_page_count(L), 2);
    assert_string_equal(L->pages[0].label, "Kota");
    assert_string_equal(L->pages[1].label, "laut");
    assert_int_equal(L->rotate_s, 20);
    assert_int_equal(L->cameras[0].pages, 1u);
    assert_int_equal(L->cameras[1].pages, 2u);
    assert_int_equal(L->cameras[2].pages, 3u);
    assert_false(L->cameras[0].always_live);
    assert_true(L->cameras[1].always_live);
    assert_string_equal(L->cameras[1].main_uri, "rtsp://10.0.0.2/main");
    assert_true(layout_on_page(L->cameras[1].pages, 1));
    assert_false(layout_on_page(L->cameras[1].pages, 0));
    assert_int_equal(layout_find_page(L, "laut"), 1);
    assert_int_equal(layout_find_page(L, "2"), 1);
    assert_int_equal(layout_find_page(L, "3"), -1);
    assert_int_equal(layout_find_page(L, "darat"), -1);
    layout_destroy(&L);

    /* No [page]: one implicit page, everything on it. */
    static const char one[] = "[wall]\ngrid=1x1\n[camera a]\nsource=test\ntile=0,0\n";
    L = parse(one, &errs);
    assert_non_null(L);
    assert_int_equal(layout_page_count(L), 1);
    assert_int_equal(L->cameras[0].pages, 1u);
    layout_destroy(&L);
}

/* screen_mode=windows: each screen has its own grid; cameras and panels name their screen. */
static void test_screens(void **state)
{
    (void)state;
    static const char text[] = "[wall]\n"
                               "grid=2x1\n"
                               "screens=3\n"
                               "screen_mode=windows\n"
                               "[camera a]\n"
                               "source=test\n"
                               "tile=0,0\n"
                               "[camera b]\n"
                               "source=test\n"
                               "tile=0,0\n"
                               "span=2x1\n"
                               "screen=2\n"
                               "[panel p]\n"
                               "type=text\n"
                               "tile=0,0\n"
                               "screen=3\n";
    layout_errors_t errs = {NULL, 0, 0};
    layout_t *L = parse(text, &errs);
    assert_non_null(L);
    assert_int_equal(errs.count, 0);
    assert_int_equal(L->screens, 3);
    assert_int_equal(L->screen_mode, LAYOUT_SCREENS_WINDOWS);
    assert_int_equal(L->cameras[0].screen, 1); /* default */
    assert_int_equal(L->cameras[1].screen, 2);
    assert_int_equal(L->panels[0].screen, 3);
    layout_destroy(&L);

    /* Defaults: one screen, span mode. */
    static const char one[] = "[wall]\ngrid=1x1\n[camera a]\nsource=test\ntile=0,0\n";
    L = parse(one, &errs);
    assert_non_null(L);
    assert_int_equal(L->screens, 1);
    assert_int_equal(L->screen_mode, LAYOUT_SCREENS_SPAN);
    assert_int_equal(L->cameras[0].screen, 1);
    layout_destroy(&L);
}

static void test_keys_help(void **state)
{
    (void)state;
    char *h = layout_keys_help();
    assert_non_null(h);
    static const char *const want[] = {
        "[wall]", "[camera ID]", "[panel ID]", "title", "canvas", "default 1920x1080", "grid",
        "COLUMNSxROWS, each 1..16; required", "fps", "whole number 1..60; default 25", "gap",
        "credentials", "chmod 600", "language", "id|en; default id", "display", "fullscreen",
        "true|false|yes|no|1|0; default false", "endpoint_dir", "default /tmp/pantau", "label",
        "source", "endpoint", "tile", "span", "transport", "tcp|udp; default tcp", "fit",
        "letterbox|crop|stretch; default letterbox", "latency_ms",
        "whole number 0..5000; default 80", "decoder", "auto|software|NAME; default auto",
        "type", "counters|text; required", "text", "At most 64.", "At most 16.",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (strstr(h, want[i]) == NULL)
            fail_msg("help lacks '%s':\n%s", want[i], h);
    for (const char *line = h; *line != '\0';) {
        size_t n = strcspn(line, "\n");
        assert_true(n <= 100);
        line += n + (line[n] == '\n');
    }
    free(h);
}

/* Mutated copies of a valid layout: never a crash or a leak, and a layout comes back exactly
 * when there is no error. */
static void test_random_mutations(void **state)
{
    (void)state;
    static const char alphabet[] = "[]=#,x\n \xFF\xC3" "0123456789@:/abt";
    size_t base_len = strlen(full);
    char *buf = malloc(base_len + 64);
    assert_non_null(buf);
    uint32_t seed = 777;
    for (int iter = 0; iter < 2000; iter++) {
        memcpy(buf, full, base_len);
        size_t len = base_len;
        int edits = 1 + iter % 4;
        for (int e = 0; e < edits; e++) {
            seed = seed * 1103515245u + 12345u;
            size_t at = (seed >> 8) % len;
            seed = seed * 1103515245u + 12345u;
            char ch = (seed >> 20) & 1 ? alphabet[(seed >> 8) % (sizeof alphabet - 1)]
                                       : (char)(seed >> 12);
            if ((seed >> 24) % 3 == 0 && len > 1) { /* delete */
                memmove(buf + at, buf + at + 1, len - at - 1);
                len--;
            } else if ((seed >> 24) % 3 == 1) { /* insert */
                memmove(buf + at + 1, buf + at, len - at);
                buf[at] = ch;
                len++;
            } else {
                buf[at] = ch;
            }
        }
        layout_errors_t errs = {NULL, 0, 0};
        layout_t *L = layout_parse(buf, len, FILE_NAME, &errs);
        assert_true((L != NULL) == (errs.count == 0));
        char *s = layout_errors_format(&errs);
        assert_non_null(s);
        free(s);
        layout_destroy(&L);
        layout_errors_clear(&errs);
    }
    free(buf);
}

/* The review window's control endpoint, next to the live wall's. */
static void test_review_endpoint(void **state)
{
    (void)state;
    char out[256];
    layout_t L;
    memset(&L, 0, sizeof L);
    L.endpoint_dir = "/run/pantau";
    layout_review_endpoint(&L, "/etc/pantau/kota.ini", out, sizeof out);
    assert_string_equal(out, "ipc:///run/pantau/wall-kota-review.ctl");
    L.control = "tcp://127.0.0.1:7001";
    layout_review_endpoint(&L, "kota.ini", out, sizeof out);
    assert_string_equal(out, "tcp://127.0.0.1:7002");
    L.control = "ipc:///tmp/ctl-sock";
    layout_review_endpoint(&L, "kota.ini", out, sizeof out);
    assert_string_equal(out, "ipc:///tmp/ctl-sock-review");
    L.control = "tcp://127.0.0.1:65535"; /* no next port: a name instead */
    layout_review_endpoint(&L, "kota.ini", out, sizeof out);
    assert_string_equal(out, "tcp://127.0.0.1:65535-review");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_full_layout),
        cmocka_unit_test(test_accepted_values),
        cmocka_unit_test(test_paths),
        cmocka_unit_test(test_shipped_layouts),
        cmocka_unit_test(test_default_panel_titles_follow_language),
        cmocka_unit_test(test_load_missing_file),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_error_cap),
        cmocka_unit_test(test_format_and_clear),
        cmocka_unit_test(test_invalid_args),
        cmocka_unit_test(test_needs_restart),
        cmocka_unit_test(test_pages),
        cmocka_unit_test(test_screens),
        cmocka_unit_test(test_keys_help),
        cmocka_unit_test(test_random_mutations),
        cmocka_unit_test(test_review_endpoint),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
