/* grid: pure geometry of the wall: the title bar, the cells of the grid, and fitting a picture
 * into a tile (letterbox, crop or stretch). Integer pixels; cells tile the area exactly (the
 * remainder of a division is spread over the first cells, so no pixel column is lost).
 * No I/O, no state: thread-safe. Used by the wall (drawing) and the layout (tile sizes). */
#ifndef PANTAU_GRID_H
#define PANTAU_GRID_H

#include <stdbool.h>

typedef struct {
    int x, y, w, h;
} grid_rect_t;

typedef enum {
    GRID_FIT_LETTERBOX = 0,
    GRID_FIT_CROP,
    GRID_FIT_STRETCH,
} grid_fit_t;

typedef struct {
    int canvas_w, canvas_h;
    int title_h;     /* pixels reserved at the top for the title bar (0 = none) */
    int cols, rows;
    int gap;         /* pixels between cells and around the grid */
} grid_t;

/* Title bar height for a canvas: about 1/20 of its height, at least 24 px; 0 when !has_title. */
int grid_title_height(int canvas_h, bool has_title);

/* Fills *g; returns false (and leaves *g zeroed) on impossible input: non-positive sizes, or a
 * grid whose cells would be narrower than 8 px. */
bool grid_init(grid_t *g, int canvas_w, int canvas_h, bool has_title, int cols, int rows, int gap);

/* Pixel rectangle of the cells [col, col+span_cols) × [row, row+span_rows), gaps inside a
 * spanned tile included. Out-of-grid input yields an empty rect (w = h = 0). */
grid_rect_t grid_cell_rect(const grid_t *g, int col, int row, int span_cols, int span_rows);

/* The title bar's rectangle (h = 0 when there is none). */
grid_rect_t grid_title_rect(const grid_t *g);

/* Where a src_w × src_h picture goes inside dst: *out_dst is the destination rectangle and
 * *out_src the part of the picture shown (whole picture for letterbox/stretch, centred crop for
 * crop). Returns false for empty input (then both are zeroed). */
bool grid_fit_rect(int src_w, int src_h, grid_rect_t dst, grid_fit_t fit, grid_rect_t *out_src,
                   grid_rect_t *out_dst);

/* Rounds a tile size down to even numbers (I420 chroma), at least 2×2. */
void grid_even_size(int *w, int *h);

/* The parts of area that none of the n rects covers, as at most cap disjoint rectangles written
 * to out (horizontal bands, gaps within each band from left to right, a gap that continues the one
 * above merged into it). Returns their number (0: fully covered), or -1 when more than cap are
 * needed or the arguments are invalid (then the caller treats the whole area as uncovered). Used
 * by the wall to paint the background only where no tile paints. */
int grid_uncovered(const grid_rect_t *rects, int n, grid_rect_t area, grid_rect_t *out, int cap);

/* Index of the cell rect containing (x, y) among n rects, or -1. */
int grid_hit(const grid_rect_t *rects, int n, int x, int y);

#endif
