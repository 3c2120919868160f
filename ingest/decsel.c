/* decsel: decoder choice from a list of available factories (see decsel.h). Pure. */
#include "decsel.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    const char *name;
    const char *family; /* the reason text when auto picks it */
} decsel_candidate_t;

/* Preference order per codec: NVDEC, VA-API (va plugin, then the older gstreamer-vaapi). */
static const decsel_candidate_t decsel_hw_h264[] = {
    {"nvh264dec", "NVDEC"},
    {"nvh264sldec", "NVDEC"},
    {"vah264dec", "VA-API"},
    {"vaapih264dec", "VA-API (gstreamer-vaapi)"},
};
static const decsel_candidate_t decsel_hw_h265[] = {
    {"nvh265dec", "NVDEC"},
    {"nvh265sldec", "NVDEC"},
    {"vah265dec", "VA-API"},
    {"vaapih265dec", "VA-API (gstreamer-vaapi)"},
};
#define DECSEL_NHW 4

static const char *const decsel_names_h264[] = {"nvh264dec",    "nvh264sldec", "vah264dec",
                                                "vaapih264dec", "avdec_h264",  NULL};
static const char *const decsel_names_h265[] = {"nvh265dec",    "nvh265sldec", "vah265dec",
                                                "vaapih265dec", "avdec_h265",  NULL};
static const char *const decsel_names_none[] = {NULL};

/* Name prefixes of hardware decoder families, for a decoder named in the layout. */
static const char *const decsel_hw_prefixes[] = {"nv",   "va",    "vaapi", "v4l2",  "qsv",
                                                 "msdk", "d3d11", "d3d12", "vtdec", "omx"};

const char *decsel_codec_name(decsel_codec_t codec)
{
    return codec == DECSEL_H264 ? "H.264" : codec == DECSEL_H265 ? "H.265" : "?";
}

const char *const *decsel_candidates(decsel_codec_t codec)
{
    return codec == DECSEL_H264   ? decsel_names_h264
           : codec == DECSEL_H265 ? decsel_names_h265
                                  : decsel_names_none;
}

bool decsel_is_hardware(const char *name)
{
    if (name == NULL || strncmp(name, "avdec_", 6) == 0)
        return false;
    for (size_t i = 0; i < sizeof decsel_hw_prefixes / sizeof decsel_hw_prefixes[0]; i++)
        if (strncmp(name, decsel_hw_prefixes[i], strlen(decsel_hw_prefixes[i])) == 0)
            return true;
    return false;
}

bool decsel_setting_valid(const char *s, char *msg, size_t cap)
{
    if (s == NULL || s[0] == '\0') {
        snprintf(msg, cap, "empty (auto, software, or a GStreamer decoder name such as nvh264dec)");
        return false;
    }
    size_t n = strlen(s);
    bool ok = n <= DECSEL_NAME_MAX && s[0] >= 'a' && s[0] <= 'z';
    for (size_t i = 0; ok && i < n; i++)
        ok = (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_';
    if (!ok)
        snprintf(msg, cap,
                 "'%.40s' is not auto, software or a GStreamer decoder name (lower-case letters, "
                 "digits and _, at most %d, e.g. avdec_h264, nvh264dec, vah264dec)",
                 s, DECSEL_NAME_MAX);
    return ok;
}

static const decsel_factory_t *decsel_find(const decsel_factory_t *avail, size_t n,
                                           const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (avail[i].name != NULL && strcmp(avail[i].name, name) == 0)
            return &avail[i];
    return NULL;
}

static int decsel_set(decsel_choice_t *out, const char *factory, bool hw, const char *why)
{
    snprintf(out->factory, sizeof out->factory, "%s", factory);
    out->hardware = hw;
    snprintf(out->why, sizeof out->why, "%s", why);
    return 0;
}

static int decsel_fail(decsel_choice_t *out, const char *why)
{
    out->factory[0] = '\0';
    out->hardware = false;
    snprintf(out->why, sizeof out->why, "%s", why);
    return -1;
}

/* The software decoder for codec, or -1. */
static int decsel_software(decsel_codec_t codec, const decsel_factory_t *avail, size_t n,
                           const char *why, decsel_choice_t *out)
{
    const char *name = codec == DECSEL_H264 ? "avdec_h264" : "avdec_h265";
    const decsel_factory_t *f = decsel_find(avail, n, name);
    char msg[DECSEL_WHY_MAX + 1];
    if (f == NULL || (f->codecs & codec) == 0) {
        snprintf(msg, sizeof msg, "no %s decoder installed (%s: gstreamer1.0-libav)",
                 decsel_codec_name(codec), name);
        return decsel_fail(out, msg);
    }
    return decsel_set(out, name, false, why);
}

int decsel_choose(decsel_codec_t codec, const char *setting, const decsel_factory_t *avail,
                  size_t n, decsel_choice_t *out)
{
    char msg[DECSEL_WHY_MAX + 1];
    if (out == NULL)
        return -1;
    if (codec != DECSEL_H264 && codec != DECSEL_H265)
        return decsel_fail(out, "unsupported codec");
    if (avail == NULL)
        n = 0;
    if (setting == NULL)
        setting = DECSEL_DEFAULT;
    if (strcmp(setting, "software") == 0)
        return decsel_software(codec, avail, n, "decoder=software", out);
    if (strcmp(setting, "auto") != 0) {
        if (!decsel_setting_valid(setting, msg, sizeof msg))
            return decsel_fail(out, "decoder= is not a decoder name");
        const decsel_factory_t *f = decsel_find(avail, n, setting);
        if (f == NULL) {
            snprintf(msg, sizeof msg, "decoder '%.31s' is not installed", setting);
            return decsel_fail(out, msg);
        }
        if ((f->codecs & codec) == 0) {
            snprintf(msg, sizeof msg, "decoder '%.31s' does not decode %s", setting,
                     decsel_codec_name(codec));
            return decsel_fail(out, msg);
        }
        return decsel_set(out, setting, decsel_is_hardware(setting), "set by decoder=");
    }
    const decsel_candidate_t *hw = codec == DECSEL_H264 ? decsel_hw_h264 : decsel_hw_h265;
    bool ranked_none = false;
    for (int i = 0; i < DECSEL_NHW; i++) {
        const decsel_factory_t *f = decsel_find(avail, n, hw[i].name);
        if (f == NULL || (f->codecs & codec) == 0)
            continue;
        if (f->rank == DECSEL_RANK_NONE) {
            ranked_none = true; /* installed but marked not for automatic use */
            continue;
        }
        snprintf(msg, sizeof msg, "hardware: %s", hw[i].family);
        return decsel_set(out, hw[i].name, true, msg);
    }
    return decsel_software(codec, avail, n,
                           ranked_none ? "hardware decoder ranked none (not for automatic use)"
                                       : "no hardware decoder found",
                           out);
}
