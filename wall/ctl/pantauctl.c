/* pantauctl: drives a running pantau-wall over its control socket.
 *
 *   pantauctl [--socket ENDPOINT | --layout FILE.ini] [--review] [--timeout MS] COMMAND [ARGS...]
 *   pantauctl incident ARGS...      (runs pantau-incident ARGS... from the same folder)
 *
 * Commands (ctlcmd.h): status, page, focus, alarm, ack, reload, snapshot, ptz, help. The words
 * go one per message part, so nothing needs quoting beyond the shell's own. Without --socket or
 * --layout it looks for the one wall-*.ctl socket in $PANTAU_ENDPOINT_DIR (default /tmp/pantau).
 * `review ...` commands (and any command with --review) go to the layout's review window
 * (pantau-wall --review: wall-*-review.ctl) instead of the live wall.
 *
 * Exit status: 0 done, 1 the wall refused the command (its reason is printed), 2 usage error,
 * 3 no wall answered. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zmq.h>

#include "ctlcmd.h"
#include "layout.h"

#define DEFAULT_TIMEOUT_MS 2000
#define DEFAULT_ENDPOINT_DIR "/tmp/pantau"
#define EXIT_REFUSED 1
#define EXIT_USAGE 2
#define EXIT_UNREACHABLE 3
#define REPLY_MAX (1 << 20)

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: pantauctl [--socket ENDPOINT | --layout FILE.ini] [--review] [--timeout MS] "
            "COMMAND [ARGS...]\n"
            "Drives a running pantau-wall.\n\n"
            "  -s, --socket ENDPOINT   the wall's control socket (ipc://... or tcp://...)\n"
            "  -l, --layout FILE.ini   the wall running this layout\n"
            "  -r, --review            talk to the review window (pantau-wall --review), not the\n"
            "                          live wall (implied by review commands)\n"
            "  -t, --timeout MS        how long to wait for the answer (default %d)\n"
            "Without -s/-l: the only wall-*.ctl socket in $PANTAU_ENDPOINT_DIR (default %s).\n\n"
            "Commands:\n%s"
            "incident ARGS...                incidents (runs pantau-incident ARGS...)\n\n"
            "Exit status: 0 done, 1 refused by the wall, 2 usage error, 3 no wall answered.\n",
            DEFAULT_TIMEOUT_MS, DEFAULT_ENDPOINT_DIR, ctlcmd_help());
}

/* The one wall-*.ctl socket in dir; 0, or an exit status after printing why not. */
static int find_socket(char *out, size_t cap, bool review)
{
    const char *dir = getenv("PANTAU_ENDPOINT_DIR");
    dir = dir != NULL && *dir != '\0' ? dir : DEFAULT_ENDPOINT_DIR;
    DIR *d = opendir(dir);
    int found = 0;
    if (d != NULL) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            size_t n = strlen(e->d_name);
            if (strncmp(e->d_name, "wall-", 5) != 0 || n < 9 || strcmp(e->d_name + n - 4, ".ctl"))
                continue;
            bool is_review = n > 11 && strcmp(e->d_name + n - 11, "-review.ctl") == 0;
            if (is_review != review)
                continue;
            if (found++ == 0)
                snprintf(out, cap, "ipc://%s/%s", dir, e->d_name);
            else
                fprintf(stderr, "%s%s/%s\n",
                        found == 2 ? "pantauctl: several walls are running; choose one with "
                                     "--socket or --layout:\n  " : "  ",
                        dir, e->d_name);
        }
        closedir(d);
    }
    if (found == 1)
        return 0;
    if (found == 0)
        fprintf(stderr, "pantauctl: no running %s found in %s (start pantau-wall%s, or give "
                        "--socket or --layout)\n", review ? "review window" : "wall", dir,
                review ? " --review" : "");
    else
        fprintf(stderr, "  %s\n", out + 6);
    return found == 0 ? EXIT_UNREACHABLE : EXIT_USAGE;
}

static int socket_from_layout(const char *path, char *out, size_t cap, bool review)
{
    layout_errors_t errs = {0};
    layout_t *l = layout_load(path, &errs);
    if (l == NULL) {
        char *text = layout_errors_format(&errs);
        fprintf(stderr, "pantauctl: %s is not a valid layout:\n%s", path, text ? text : "");
        free(text);
        layout_errors_clear(&errs);
        return EXIT_USAGE;
    }
    if (review)
        layout_review_endpoint(l, path, out, cap);
    else
        layout_control_endpoint(l, path, out, cap);
    layout_destroy(&l);
    return 0;
}

/* git-style: `pantauctl incident ...` runs pantau-incident from pantauctl's own folder. */
static int run_incident(char **argv)
{
    char self[PATH_MAX], prog[PATH_MAX + 32];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    const char *name = "pantau-incident";
    if (n > 0) {
        self[n] = '\0';
        char *slash = strrchr(self, '/');
        if (slash != NULL) {
            *slash = '\0';
            snprintf(prog, sizeof prog, "%s/%s", self, name);
            if (access(prog, X_OK) == 0) {
                argv[0] = prog;
                execv(prog, argv);
            }
        }
    }
    argv[0] = (char *)name;
    execvp(name, argv);
    fprintf(stderr, "pantauctl: cannot run %s: %s\n", name, strerror(errno));
    return EXIT_UNREACHABLE;
}

static int send_command(const char *endpoint, int timeout_ms, int argc, char **argv)
{
    void *ctx = zmq_ctx_new();
    void *s = zmq_socket(ctx, ZMQ_REQ);
    int linger = 0, rc = EXIT_UNREACHABLE;
    zmq_setsockopt(s, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(s, ZMQ_RCVTIMEO, &timeout_ms, sizeof timeout_ms);
    zmq_setsockopt(s, ZMQ_SNDTIMEO, &timeout_ms, sizeof timeout_ms);
    if (strncmp(endpoint, "ipc://", 6) == 0 && access(endpoint + 6, F_OK) != 0) {
        fprintf(stderr, "pantauctl: no wall at %s (%s)\n", endpoint, strerror(errno));
        goto out;
    }
    if (zmq_connect(s, endpoint) != 0) {
        fprintf(stderr, "pantauctl: cannot connect to %s: %s\n", endpoint, zmq_strerror(errno));
        goto out;
    }
    for (int i = 0; i < argc; i++)
        if (zmq_send(s, argv[i], strlen(argv[i]), i + 1 < argc ? ZMQ_SNDMORE : 0) < 0) {
            fprintf(stderr, "pantauctl: cannot send to %s: %s\n", endpoint, zmq_strerror(errno));
            goto out;
        }
    char *reply = malloc(REPLY_MAX + 1);
    int n = reply != NULL ? zmq_recv(s, reply, REPLY_MAX, 0) : -1;
    if (n < 0) {
        fprintf(stderr, "pantauctl: no answer from %s within %d ms (is the wall running?)\n",
                endpoint, timeout_ms);
        free(reply);
        goto out;
    }
    reply[n < REPLY_MAX ? n : REPLY_MAX] = '\0';
    if (strncmp(reply, "ok", 2) == 0) {
        const char *body = reply[2] == '\n' ? reply + 3 : reply + 2;
        fputs(body, stdout);
        if (*body != '\0' && body[strlen(body) - 1] != '\n')
            fputc('\n', stdout);
        rc = 0;
    } else {
        fprintf(stderr, "pantauctl: %s\n", reply);
        rc = EXIT_REFUSED;
    }
    free(reply);
out:
    zmq_close(s);
    zmq_ctx_term(ctx);
    return rc;
}

int main(int argc, char **argv)
{
    static const struct option longs[] = {
        {"socket", required_argument, 0, 's'}, {"layout", required_argument, 0, 'l'},
        {"timeout", required_argument, 0, 't'}, {"help", no_argument, 0, 'h'},
        {"review", no_argument, 0, 'r'},        {0, 0, 0, 0},
    };
    const char *socket = NULL, *layout = NULL;
    int timeout_ms = DEFAULT_TIMEOUT_MS, opt;
    bool review = false;
    while ((opt = getopt_long(argc, argv, "+s:l:t:hr", longs, NULL)) != -1) {
        switch (opt) {
        case 's': socket = optarg; break;
        case 'l': layout = optarg; break;
        case 't': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end != '\0' || v < 1 || v > 600000) {
                fprintf(stderr, "pantauctl: --timeout %s: give milliseconds, 1..600000\n", optarg);
                return EXIT_USAGE;
            }
            timeout_ms = (int)v;
            break;
        }
        case 'r': review = true; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return EXIT_USAGE;
        }
    }
    argc -= optind;
    argv += optind;
    if (argc < 1) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[0], "incident") == 0)
        return run_incident(argv);

    /* Check the command here too, so a typo is explained without a wall. */
    char err[512], endpoint[1200], abs_path[PATH_MAX];
    ctl_cmd_t cmd;
    if (!ctlcmd_parse(argc, (const char *const *)argv, &cmd, err, sizeof err)) {
        if (!(cmd.verb == CTL_SNAPSHOT && argc == 2 && argv[1][0] != '/')) {
            fprintf(stderr, "pantauctl: %s\n", err);
            return EXIT_USAGE;
        }
        /* A relative snapshot path is relative to here, not to the wall. */
        char cwd[PATH_MAX];
        if (getcwd(cwd, sizeof cwd) == NULL ||
            snprintf(abs_path, sizeof abs_path, "%s/%s", cwd, argv[1]) >= (int)sizeof abs_path) {
            fprintf(stderr, "pantauctl: %s\n", err);
            return EXIT_USAGE;
        }
        argv[1] = abs_path;
        if (!ctlcmd_parse(argc, (const char *const *)argv, &cmd, err, sizeof err)) {
            fprintf(stderr, "pantauctl: %s\n", err);
            return EXIT_USAGE;
        }
    }
    int rc = 0;
    review = review || cmd.verb == CTL_REVIEW;
    if (socket != NULL)
        snprintf(endpoint, sizeof endpoint, "%s", socket);
    else if (layout != NULL)
        rc = socket_from_layout(layout, endpoint, sizeof endpoint, review);
    else
        rc = find_socket(endpoint, sizeof endpoint, review);
    if (rc != 0)
        return rc;
    return send_command(endpoint, timeout_ms, argc, argv);
}
