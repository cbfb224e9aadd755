// Non-variadic wrappers for the parts of libmicrohttpd Swift cannot call (C variadics).
#ifndef MO_CMICROHTTPD_SHIM_H
#define MO_CMICROHTTPD_SHIM_H

#include <stdint.h>
#include <stddef.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <microhttpd.h>

/// libmicrohttpd's logger takes a va_list, which Swift cannot receive: this C trampoline formats the line and
/// hands it to a plain callback.
typedef void (*mo_mhd_log_sink)(void *cls, const char *line);
struct mo_mhd_logger {
    mo_mhd_log_sink sink;
    void *cls;
};
static void mo_mhd_log_trampoline(void *cls, const char *format, va_list arguments) {
    struct mo_mhd_logger *logger = (struct mo_mhd_logger *)cls;
    char line[512];
    vsnprintf(line, sizeof line, format, arguments);
    logger->sink(logger->cls, line);
}
/// The trampoline's address, for an MHD_OPTION_EXTERNAL_LOGGER item.
static inline intptr_t mo_mhd_log_trampoline_address(void) {
    return (intptr_t)&mo_mhd_log_trampoline;
}

/// MHD_start_daemon with every option in one MHD_OPTION_ARRAY (ended by an MHD_OPTION_END item).
static inline struct MHD_Daemon *mo_mhd_start(unsigned int flags,
                                              MHD_AccessHandlerCallback handler, void *handler_cls,
                                              struct MHD_OptionItem *options) {
    return MHD_start_daemon(flags, 0, NULL, NULL, handler, handler_cls,
                            MHD_OPTION_ARRAY, options, MHD_OPTION_END);
}

/// The peer address of a connection, copied into `out` (sockaddr_in or sockaddr_in6). Returns its family or -1.
static inline int mo_mhd_peer_address(struct MHD_Connection *connection, struct sockaddr_storage *out) {
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (info == NULL || info->client_addr == NULL) return -1;
    const struct sockaddr *sa = info->client_addr;
    if (sa->sa_family == AF_INET) {
        *(struct sockaddr_in *)out = *(const struct sockaddr_in *)sa;
    } else if (sa->sa_family == AF_INET6) {
        *(struct sockaddr_in6 *)out = *(const struct sockaddr_in6 *)sa;
    } else {
        return -1;
    }
    return sa->sa_family;
}

/// The TCP port the daemon is bound to (useful after binding port 0), or 0.
static inline uint16_t mo_mhd_bound_port(struct MHD_Daemon *daemon) {
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info == NULL ? 0 : info->port;
}

/// The number of open connections.
static inline unsigned int mo_mhd_current_connections(struct MHD_Daemon *daemon) {
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
    return info == NULL ? 0 : info->num_connections;
}

#endif
