/* incident: recording faults on tiles and incident marks from the wall (see incident.h). */
#include "incident.h"

#include <stdio.h>
#include <string.h>

#include <glib.h>

void incident_tile_note(tilestate_out_t *look, const wire_status_t *st, tilestate_lang_t lang)
{
    if (look == NULL || st == NULL)
        return;
    const char *what = NULL;
    bool en = lang == TILESTATE_LANG_EN;
    switch (st->rec) {
    case WIRE_REC_RECORDING:
        if (look->live) { /* a small REC mark next to the live badge */
            size_t n = strlen(look->badge);
            snprintf(look->badge + n, sizeof look->badge - n, "%sREC", n ? " \xc2\xb7 " : "");
        }
        return;
    case WIRE_REC_DISK_FULL:
        what = en ? "REC stopped: disk full" : "REKAMAN berhenti: disk penuh";
        break;
    case WIRE_REC_UNWRITABLE:
        what = en ? "REC stopped: folder not writable" : "REKAMAN berhenti: folder tak bisa ditulis";
        break;
    case WIRE_REC_ERROR:
        what = en ? "REC stopped: recorder error" : "REKAMAN berhenti: galat perekam";
        break;
    default:
        return;
    }
    size_t used = strlen(look->detail);
    snprintf(look->detail + used, sizeof look->detail - used, "%s%s", used ? " / " : "", what);
    if (look->severity < SCENE_SEVERITY_WARN)
        look->severity = SCENE_SEVERITY_WARN;
    if (look->live) { /* the badge warns too, so a full disk is seen at a glance */
        size_t n = strlen(look->badge);
        snprintf(look->badge + n, sizeof look->badge - n, "%s%s", n ? " \xc2\xb7 " : "",
                 en ? "REC OFF" : "REKAM MATI");
    }
}

int incident_mark(const char *sibling_program, const char *layout_path, const char *camera,
                  char *err, size_t cap)
{
    if (sibling_program == NULL || layout_path == NULL || camera == NULL) {
        snprintf(err, cap, "no worker program folder, layout or camera");
        return -1;
    }
    char *dir = g_path_get_dirname(sibling_program);
    char *prog = g_build_filename(dir, "pantau-incident", NULL);
    char *from = g_strdup_printf("wall@%s", g_get_host_name());
    char *argv[] = {prog, "--layout", (char *)layout_path, "mark", "--camera", (char *)camera,
                    "--from", from, NULL};
    GError *ge = NULL;
    /* Without G_SPAWN_DO_NOT_REAP_CHILD GLib double-forks: nothing for the wall to reap. */
    bool ok = g_spawn_async(NULL, argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &ge);
    if (!ok) {
        snprintf(err, cap, "cannot run %s: %s", prog, ge->message);
        g_error_free(ge);
    }
    g_free(from);
    g_free(prog);
    g_free(dir);
    return ok ? 0 : -1;
}
