/* decsel: which GStreamer decoder element decodes a camera's stream. Pure: it takes the list of
 * decoder factories this host has (name, rank, codecs), as the caller read it from GStreamer's
 * registry, and the camera's `decoder=` setting, and returns the choice and the reason.
 *
 *   auto      the first hardware decoder in the preference order below that is installed and
 *             not ranked NONE (GStreamer's "not for automatic use"), else the software decoder:
 *               H.264: nvh264dec, nvh264sldec (NVDEC), vah264dec (VA-API), vaapih264dec
 *                      (gstreamer-vaapi), then avdec_h264 (libav, software)
 *               H.265: nvh265dec, nvh265sldec, vah265dec, vaapih265dec, then avdec_h265
 *   software  avdec_h264 / avdec_h265 whatever else is installed
 *   NAME      that factory, which must be installed and decode the stream's codec
 *
 * A hardware decoder outputs NV12, often in GPU memory; the pipeline puts a system-memory
 * video/x-raw caps filter after it (ingest/pipeline.c), so the tail always gets system-memory
 * raw video (NV12 or I420) that it can convert and scale.
 *
 * No GStreamer header: unit-tested with fake factory lists (tests/test_decsel.c). Thread-safe. */
#ifndef PANTAU_INGEST_DECSEL_H
#define PANTAU_INGEST_DECSEL_H

#include <stdbool.h>
#include <stddef.h>

#define DECSEL_NAME_MAX 31 /* factory name characters (fits the wire's decoder field) */
#define DECSEL_WHY_MAX 63  /* reason characters (fits the wire's decoder_why field) */
#define DECSEL_DEFAULT "auto"
#define DECSEL_RANK_NONE 0u /* GST_RANK_NONE */

typedef enum { DECSEL_H264 = 1u << 0, DECSEL_H265 = 1u << 1 } decsel_codec_t;

/* One decoder factory the host has. */
typedef struct {
    const char *name;
    unsigned rank;   /* GstRank */
    unsigned codecs; /* decsel_codec_t bits it accepts on its sink pad */
} decsel_factory_t;

typedef struct {
    char factory[DECSEL_NAME_MAX + 1];
    bool hardware;
    char
        why[DECSEL_WHY_MAX + 1]; /* "no hardware decoder found", "NVDEC", "decoder=software", ... */
} decsel_choice_t;

/* Picks the decoder for codec from the n factories in avail. setting: "auto", "software" or a
 * factory name (NULL = auto). Returns 0 with *out filled; or -1 with out->why saying what is
 * missing ("decoder 'nvh264dec' is not installed", "no H.264 decoder installed
 * (gstreamer1.0-libav)") and out->factory empty. */
int decsel_choose(decsel_codec_t codec, const char *setting, const decsel_factory_t *avail,
                  size_t n, decsel_choice_t *out);

/* The candidate factory names for codec, in preference order, software last; NULL-terminated.
 * The caller looks these up in the registry (plus the setting's name, if it is one). */
const char *const *decsel_candidates(decsel_codec_t codec);

/* True if name is a known hardware decoder family member (nv*, va*, vaapi*, v4l2*, qsv*, ...). */
bool decsel_is_hardware(const char *name);

/* A valid decoder= value: "auto", "software" or a factory-name token ([a-z0-9_], 1..31, starting
 * with a letter). On false, msg says why. */
bool decsel_setting_valid(const char *setting, char *msg, size_t cap);

/* "H.264" / "H.265" / "?" */
const char *decsel_codec_name(decsel_codec_t codec);

#endif
