/* incident: what the wall does about recording and incidents (docs/incidents.md).
 *
 * - A tile whose worker reports a recording fault (disk full, unwritable folder, error) gets a line
 *   saying so under its state, in the wall's language; live video is not affected.
 * - The operator's M key marks an incident on the selected camera by running
 *   `pantau-incident --layout LAYOUT mark --camera ID --from "wall@HOST"` (found next to
 *   pantau-ingest), without waiting for it: the wall never blocks on SQLite.
 *
 * Main thread only. Errors are return values; the caller logs. */
#ifndef PANTAU_WALL_INCIDENT_H
#define PANTAU_WALL_INCIDENT_H

#include <stddef.h>

#include "tilestate.h"
#include "wire.h"

/* Appends the recording fault of st (if any) to look's detail line. st may be NULL. */
void incident_tile_note(tilestate_out_t *look, const wire_status_t *st, tilestate_lang_t lang);

/* Starts pantau-incident (in the folder of sibling_program) to mark camera now. Returns 0 when it
 * was started, -1 with the reason in err. */
int incident_mark(const char *sibling_program, const char *layout_path, const char *camera,
                  char *err, size_t cap);

#endif
