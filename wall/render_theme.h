/* render_theme: every tunable of the renderer's look in one block: colours of the dark
 * command-centre theme and the sizes of text, bands and borders as fractions of the element they
 * belong to (a tile, a panel, the title bar, the canvas), so a 4K wall looks like a 1080p one,
 * only sharper. Plain constants: included by the render_*.c files and by the tests. */
#ifndef PANTAU_RENDER_THEME_H
#define PANTAU_RENDER_THEME_H

#include <SDL.h>

#define THEME_RGBA(r, g, b, a) ((SDL_Color){(r), (g), (b), (a)})

/* ---- colours ------------------------------------------------------------------------------ */
#define THEME_CANVAS THEME_RGBA(0x0b, 0x12, 0x20, 0xff)        /* behind everything */
#define THEME_TILE_EMPTY THEME_RGBA(0x13, 0x1c, 0x2e, 0xff)    /* tile without a picture */
#define THEME_TILE_MARKS THEME_RGBA(0x2a, 0x3a, 0x58, 0xff)    /* viewfinder corners on it */
#define THEME_LETTERBOX THEME_RGBA(0x00, 0x00, 0x00, 0xff)
#define THEME_TILE_BORDER THEME_RGBA(0x24, 0x32, 0x4e, 0xff)
#define THEME_HIGHLIGHT THEME_RGBA(0x22, 0xd3, 0xee, 0xff)     /* selected tile */
#define THEME_LABEL_BAND THEME_RGBA(0x05, 0x0a, 0x14, 0xb4)
#define THEME_LABEL_TEXT THEME_RGBA(0xff, 0xff, 0xff, 0xff)
#define THEME_BADGE_TEXT THEME_RGBA(0xff, 0xff, 0xff, 0xff)
#define THEME_HEADLINE_BOX THEME_RGBA(0x07, 0x0c, 0x18, 0xc8)
#define THEME_DETAIL_TEXT THEME_RGBA(0xcb, 0xd5, 0xe1, 0xff)
#define THEME_TITLE_BAR THEME_RGBA(0x0c, 0x17, 0x2e, 0xff)
#define THEME_TITLE_RULE THEME_RGBA(0x16, 0x4e, 0x63, 0xff)    /* line under the title bar */
#define THEME_ACCENT THEME_RGBA(0x22, 0xd3, 0xee, 0xff)        /* cyan: brand mark, card tops */
#define THEME_TITLE_TEXT THEME_RGBA(0xf1, 0xf5, 0xf9, 0xff)
#define THEME_CLOCK_TEXT THEME_RGBA(0xcb, 0xd5, 0xe1, 0xff)
#define THEME_CLOCK_BOX THEME_RGBA(0x05, 0x0a, 0x14, 0xc8)     /* corner clock, no title bar */
#define THEME_PANEL THEME_RGBA(0x11, 0x1a, 0x2e, 0xff)
#define THEME_PANEL_BORDER THEME_RGBA(0x1f, 0x2c, 0x48, 0xff)
#define THEME_PANEL_TITLE THEME_RGBA(0x67, 0xe8, 0xf9, 0xff)
#define THEME_PANEL_TEXT THEME_RGBA(0xe2, 0xe8, 0xf0, 0xff)
#define THEME_PANEL_KEY THEME_RGBA(0x94, 0xa3, 0xb8, 0xff)     /* "key" of a "key\tvalue" line */
#define THEME_PANEL_VALUE THEME_RGBA(0xff, 0xff, 0xff, 0xff)
#define THEME_PANEL_RULE THEME_RGBA(0x1c, 0x28, 0x42, 0xff)    /* between panel rows */
#define THEME_ALARM THEME_RGBA(0xef, 0x44, 0x44, 0xff)        /* alarm border and strip */
#define THEME_ALARM_DIM THEME_RGBA(0x7f, 0x1d, 0x1d, 0xff)    /* alarm border, blink off */
#define THEME_BANNER THEME_RGBA(0xb9, 0x1c, 0x1c, 0xff)
#define THEME_BANNER_RULE THEME_RGBA(0xf8, 0x71, 0x71, 0xff)
#define THEME_BANNER_TEXT THEME_RGBA(0xff, 0xff, 0xff, 0xff)

/* Per severity (OK, INFO, WARN, ERROR): the badge's fill and the headline's text colour. */
#define THEME_BADGE_OK THEME_RGBA(0x16, 0xa3, 0x4a, 0xf0)
#define THEME_BADGE_INFO THEME_RGBA(0x25, 0x63, 0xeb, 0xf0)
#define THEME_BADGE_WARN THEME_RGBA(0xd9, 0x77, 0x06, 0xf0)
#define THEME_BADGE_ERROR THEME_RGBA(0xdc, 0x26, 0x26, 0xf0)
#define THEME_HEADLINE_OK THEME_RGBA(0x4a, 0xde, 0x80, 0xff)
#define THEME_HEADLINE_INFO THEME_RGBA(0x7d, 0xb4, 0xff, 0xff)
#define THEME_HEADLINE_WARN THEME_RGBA(0xfb, 0xbf, 0x24, 0xff)
#define THEME_HEADLINE_ERROR THEME_RGBA(0xf8, 0x71, 0x71, 0xff)

/* ---- tiles: fractions of the tile's size unit, min(h, w * 3 / 4) -------------------------- */
#define DEFAULT_TILE_LABEL_PX 0.056      /* camera label */
#define DEFAULT_TILE_LABEL_MIN_PX 12
#define DEFAULT_TILE_BAND 1.8            /* label band height, in label text sizes */
#define DEFAULT_TILE_PAD 0.032           /* inner margin */
#define DEFAULT_TILE_PAD_MIN 5
#define DEFAULT_TILE_STATUS_BAR 0.012    /* severity bar left of the label */
#define DEFAULT_TILE_BADGE_PX 0.044
#define DEFAULT_TILE_BADGE_MIN_PX 11
#define DEFAULT_TILE_HEADLINE_PX 0.105
#define DEFAULT_TILE_HEADLINE_MIN_PX 14
#define DEFAULT_TILE_DETAIL_PX 0.055
#define DEFAULT_TILE_DETAIL_MIN_PX 12
#define DEFAULT_TILE_MARK_LEN 0.09       /* viewfinder corner length */
#define DEFAULT_TILE_MARK_W 0.008
#define DEFAULT_TILE_HIGHLIGHT_W 0.011   /* selected border; clamped to 3..6 px */
#define DEFAULT_TILE_HIGHLIGHT_MIN 3
#define DEFAULT_TILE_HIGHLIGHT_MAX 6
#define DEFAULT_DIM_MOD 102              /* 40% brightness for stale pictures */
#define DEFAULT_TILE_SNAP_PX 2           /* a picture up to this much smaller is drawn 1:1 */

/* ---- title bar, corner clock, banner: fractions of the bar's or the canvas's height -------- */
#define DEFAULT_TITLE_PX 0.44
#define DEFAULT_TITLE_PAD 0.42
#define DEFAULT_TITLE_MARK_W 0.10        /* cyan brand mark before the title */
#define DEFAULT_CLOCK_CORNER_PX 0.02
#define DEFAULT_CLOCK_CORNER_MIN_PX 13
#define DEFAULT_BANNER_PX 0.022
#define DEFAULT_BANNER_MIN_PX 14
#define DEFAULT_BANNER_LINE 1.45         /* line height, in text sizes */
#define DEFAULT_BANNER_MAX_LINES 6

/* ---- panels: fractions of the panel's width ----------------------------------------------- */
#define DEFAULT_PANEL_PAD 0.055
#define DEFAULT_PANEL_PAD_MIN 8
#define DEFAULT_PANEL_BODY_PX 0.052
#define DEFAULT_PANEL_BODY_MIN_PX 12
#define DEFAULT_PANEL_TITLE_SCALE 1.2    /* title size, in body sizes */
#define DEFAULT_PANEL_VALUE_SCALE 1.45   /* value of a "key\tvalue" line, in body sizes */
#define DEFAULT_PANEL_ROW_MIN 2.0        /* row height bounds, in body sizes */
#define DEFAULT_PANEL_ROW_MAX 3.8
#define DEFAULT_PANEL_ACCENT_W 0.008     /* cyan line on top of a card, at least 2 px */

#endif
