/*
 * bench/sink.c: the handler endpoint of bench/run's e2e mode. Every POST or PUT is counted and answered 200 "ok";
 * GET /count answers the count so far. It must cost little CPU, so that the benchmark measures the daemon and not
 * the sink: one libmicrohttpd polling thread (epoll), HTTP/1.1 keep-alive, and every answer small enough that
 * libmicrohttpd sends its headers and body in one write (a second write would stall on the client's delayed ACK).
 *
 *   cc -O2 -o sink bench/sink.c $(pkg-config --cflags --libs libmicrohttpd)
 *   ./sink 18090          # listens on 127.0.0.1:18090 until killed
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static atomic_ulong received;

static enum MHD_Result answer(struct MHD_Connection *connection, const char *text) {
    struct MHD_Response *response =
        MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_MUST_COPY);
    if (response == NULL) return MHD_NO;
    enum MHD_Result queued = MHD_queue_response(connection, MHD_HTTP_OK, response);
    MHD_destroy_response(response);
    return queued;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *connection, const char *url, const char *method,
                              const char *version, const char *upload_data, size_t *upload_size, void **context) {
    (void)cls, (void)version, (void)upload_data;
    if (*context == NULL) {   /* the head: wait for the body */
        *context = connection;
        return MHD_YES;
    }
    if (*upload_size > 0) {   /* a piece of the body: read and dropped */
        *upload_size = 0;
        return MHD_YES;
    }
    if (strcmp(method, "GET") == 0) {
        if (strcmp(url, "/count") != 0) return answer(connection, "GET /count\n");
        char count[32];
        snprintf(count, sizeof count, "%lu\n", atomic_load(&received));
        return answer(connection, count);
    }
    atomic_fetch_add(&received, 1);
    return answer(connection, "ok");
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s PORT (listens on 127.0.0.1)\n", argv[0]);
        return 2;
    }
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[1]))};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct MHD_Daemon *daemon = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL, 0, NULL, NULL, handle, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&address, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)60,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned int)1000, MHD_OPTION_END);
    if (daemon == NULL) {
        fprintf(stderr, "sink: cannot listen on 127.0.0.1:%s\n", argv[1]);
        return 1;
    }
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    sigprocmask(SIG_BLOCK, &signals, NULL);
    int signal;
    sigwait(&signals, &signal);
    MHD_stop_daemon(daemon);
    return 0;
}
