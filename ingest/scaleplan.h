/* scaleplan: the pure geometry of what the worker sends for a decoded picture: the picture as
 * decoded (passthrough), or a tile-sized I420 frame into which a part of the picture is scaled
 * (letterbox: whole picture, black bars; crop: centred part, no bars; stretch: whole picture,
 * whole frame). Every rectangle is on even pixels so that 4:2:0 chroma planes line up.
 *
 * Passthrough is chosen when the decoder already gives I420 and the picture, fitted into the
 * tile, keeps its size (to within SCALEPLAN_SNAP_PX, which the wall draws 1:1, centred): a
 * 640x360 camera in a 640x360 or 640x480 letterbox tile. A picture smaller than its tile is
 * otherwise scaled up here: the wall's software renderer stretches RGB several times dearer
 * than swscale scales I420 (measured: docs/performance.md).
 *
 * No I/O, no state: thread-safe. Used by ingest/scaler.c; tested in tests/test_scaleplan.c. */
#ifndef PANTAU_INGEST_SCALEPLAN_H
#define PANTAU_INGEST_SCALEPLAN_H

#include <stdbool.h>

#include "grid.h"

/* Same as the wall's DEFAULT_TILE_SNAP_PX: a picture this much smaller than its place is drawn
 * 1:1 there, centred. */
#define SCALEPLAN_SNAP_PX 2
#define SCALEPLAN_PAR_MAX 10000   /* pixel aspect ratio terms, e.g. 40/33 */
#define SCALEPLAN_SIZE_MAX 65536

typedef struct {
    bool passthrough; /* send the decoded picture as it is (src/dst/out below unused) */
    int out_w, out_h; /* the frame sent: the tile's size */
    grid_rect_t src;  /* part of the decoded picture used (even x, y, w, h) */
    grid_rect_t dst;  /* where it goes in the frame (even x, y, w, h); the rest is black */
} scaleplan_t;

/* Plans a src_w x src_h picture whose pixels have the aspect ratio par_n/par_d (1/1: square; a
 * camera's anamorphic stream is fitted as it is meant to be seen) for an out_w x out_h tile with
 * fit. src_is_i420: the decoder's output is already I420 (else it must be converted, so
 * passthrough is never chosen; neither is it for non-square pixels). Returns false (plan zeroed)
 * for sizes below 2x2, an odd tile size or a pixel aspect ratio term outside 1..PAR_MAX. */
bool scaleplan_make(int src_w, int src_h, int par_n, int par_d, bool src_is_i420, int out_w,
                    int out_h, grid_fit_t fit, scaleplan_t *plan);

/* True when the plan leaves black bars (dst smaller than the frame). */
bool scaleplan_has_bars(const scaleplan_t *plan);

#endif
