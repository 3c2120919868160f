/* scaleplan: see scaleplan.h. */
#include "scaleplan.h"

#include <string.h>

/* Rounds a centred span [pos, pos+len) of [0, limit) (limit even) to an even length (at least 2)
 * and an even start, centred again: every fit grid_fit_rect makes is centred. */
static void scaleplan_even(int *pos, int *len, int limit)
{
    int l = *len & ~1;
    if (l < 2)
        l = 2;
    if (l > limit)
        l = limit;
    *pos = ((limit - l) / 2) & ~1;
    *len = l;
}

bool scaleplan_make(int src_w, int src_h, int par_n, int par_d, bool src_is_i420, int out_w,
                    int out_h, grid_fit_t fit, scaleplan_t *plan)
{
    memset(plan, 0, sizeof *plan);
    if (src_w < 2 || src_h < 2 || out_w < 2 || out_h < 2 || (out_w & 1) || (out_h & 1) ||
        par_n <= 0 || par_d <= 0 || par_n > SCALEPLAN_PAR_MAX || par_d > SCALEPLAN_PAR_MAX)
        return false;
    /* Fit the picture as it is meant to be seen: width times the pixel aspect ratio. */
    long long disp = ((long long)src_w * par_n + par_d / 2) / par_d;
    int disp_w = disp < 2 ? 2 : disp > SCALEPLAN_SIZE_MAX ? SCALEPLAN_SIZE_MAX : (int)disp;
    grid_rect_t src, dst;
    if (!grid_fit_rect(disp_w, src_h, (grid_rect_t){0, 0, out_w, out_h}, fit, &src, &dst))
        return false;
    if (disp_w != src_w) { /* back to stored pixels */
        src.x = (int)((long long)src.x * src_w / disp_w);
        src.w = (int)((long long)src.w * src_w / disp_w);
    }
    if (src_is_i420 && disp_w == src_w && (src_w & 1) == 0 && (src_h & 1) == 0 && src.w == src_w && src.h == src_h &&
        dst.w >= src_w && dst.h >= src_h && dst.w - src_w <= SCALEPLAN_SNAP_PX &&
        dst.h - src_h <= SCALEPLAN_SNAP_PX) {
        plan->passthrough = true;
        plan->out_w = src_w;
        plan->out_h = src_h;
        plan->src = plan->dst = (grid_rect_t){0, 0, src_w, src_h};
        return true;
    }
    /* An odd source keeps its last column/row out: chroma covers pixel pairs. */
    scaleplan_even(&src.x, &src.w, src_w & ~1);
    scaleplan_even(&src.y, &src.h, src_h & ~1);
    scaleplan_even(&dst.x, &dst.w, out_w);
    scaleplan_even(&dst.y, &dst.h, out_h);
    plan->out_w = out_w;
    plan->out_h = out_h;
    plan->src = src;
    plan->dst = dst;
    return true;
}

bool scaleplan_has_bars(const scaleplan_t *plan)
{
    return !plan->passthrough && (plan->dst.w < plan->out_w || plan->dst.h < plan->out_h);
}
