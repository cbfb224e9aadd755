import CMicroHTTPD
import Glibc
import Synchronization

/// An HTTP/1.1 listener on libmicrohttpd: poll-based internal threads with a small pool, suspend/resume for answers
/// that come from other threads.
///
/// Owns the `MHD_Daemon`. Handler calls run on libmicrohttpd's threads. Lifecycle: `start()` → (`quiesce()`) →
/// `stop(grace:)`; every request that was handed to a responder must be answered before `stop` returns, so `stop`
/// answers the stragglers itself, with the handler's `shutdownResponse`, rather than violate libmicrohttpd's rule
/// against stopping with suspended connections.
public final class HTTPServer: Sendable {
    let handler: any HTTPHandler
    let configuration: HTTPServerConfiguration
    let errorLog: @Sendable (String) -> Void

    private let daemon = Mutex<DaemonHandle?>(nil)
    private let listenSocket = Mutex<Int32>(-1)
    private let port = Atomic<UInt16>(0)
    let sequence = Atomic<UInt64>(0)
    /// Requests between the URI-log and request-completed callbacks.
    let liveRequests = Atomic<Int>(0)
    /// Requests suspended while a responder works on them, by identity, so `stop` can answer leftovers.
    let suspended = Mutex<[ObjectIdentifier: (RequestAnswer, ConnectionHandle)]>([:])

    /// - Parameter errorLog: receives libmicrohttpd's own error messages, one line each.
    public init(configuration: HTTPServerConfiguration, handler: any HTTPHandler,
                errorLog: @escaping @Sendable (String) -> Void) {
        self.configuration = configuration
        self.handler = handler
        self.errorLog = errorLog
    }

    deinit {
        // stop() releases the retain taken in start(); a started server cannot reach deinit before stop().
    }

    /// The port actually bound (after `start`), useful with port 0.
    public var boundPort: UInt16 { port.load(ordering: .acquiring) }

    /// Requests currently being received or waiting for an answer.
    public var requestsInFlight: Int { liveRequests.load(ordering: .relaxed) }

    /// Binds and starts serving.
    public func start() throws(HTTPServerError) {
        var storage = sockaddr_storage()
        var ipv4 = in_addr()
        var ipv6Address = in6_addr()
        let ipv6: Bool
        if inet_pton(AF_INET, configuration.host, &ipv4) == 1 {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = configuration.port.bigEndian
            address.sin_addr = ipv4
            withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: address, as: sockaddr_in.self) }
            ipv6 = false
        } else if inet_pton(AF_INET6, configuration.host, &ipv6Address) == 1 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = configuration.port.bigEndian
            address.sin6_addr = ipv6Address
            withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: address, as: sockaddr_in6.self) }
            ipv6 = true
        } else {
            throw .invalidListenAddress(configuration.host)
        }

        var flags = MHD_USE_POLL_INTERNAL_THREAD.rawValue | MHD_ALLOW_SUSPEND_RESUME.rawValue
            | MHD_USE_ERROR_LOG.rawValue
        if ipv6 { flags |= MHD_USE_IPv6.rawValue }

        // passRetained: the daemon holds this server as its callback context; released in stop() (takeRetainedValue).
        let context = Unmanaged.passRetained(self).toOpaque()
        // The logger's C context lives as long as the daemon; freed in stop() (or below when start fails).
        let loggerSink = UnsafeMutablePointer<mo_mhd_logger>.allocate(capacity: 1)
        loggerSink.initialize(to: mo_mhd_logger(sink: errorLogSink, cls: context))
        let started: OpaquePointer? = withUnsafeMutablePointer(to: &storage) { storagePointer in
            var options = makeOptions(context: context, address: UnsafeMutableRawPointer(storagePointer),
                                      logger: UnsafeMutableRawPointer(loggerSink))
            return options.withUnsafeMutableBufferPointer { buffer in
                mo_mhd_start(flags, accessHandlerCallback, context, buffer.baseAddress)
            }
        }
        guard let started else {
            loggerSink.deallocate()
            Unmanaged<HTTPServer>.fromOpaque(context).release()
            throw .startFailed(address: "\(configuration.host):\(configuration.port)")
        }
        port.store(mo_mhd_bound_port(started), ordering: .releasing)
        daemon.withLock { $0 = DaemonHandle(pointer: started, context: context, logger: loggerSink) }
    }

    private func makeOptions(context: UnsafeMutableRawPointer, address: UnsafeMutableRawPointer,
                             logger: UnsafeMutableRawPointer) -> [MHD_OptionItem] {
        func item(_ option: MHD_OPTION, _ value: Int, _ pointer: UnsafeMutableRawPointer? = nil) -> MHD_OptionItem {
            MHD_OptionItem(option: option, value: value, ptr_value: pointer)
        }
        // The logger first, so libmicrohttpd reports problems with the options after it through it (it says so on
        // stderr otherwise); a pool of one thread is no pool (the internal thread serves alone, without a warning).
        var options = [
            item(.EXTERNAL_LOGGER, mo_mhd_log_trampoline_address(), logger),
            item(.SOCK_ADDR, 0, address),
        ]
        if configuration.threads > 1 { options.append(item(.THREAD_POOL_SIZE, configuration.threads)) }
        return options + [
            item(.CONNECTION_LIMIT, max(1, configuration.connectionLimit)),
            item(.CONNECTION_TIMEOUT, max(0, configuration.connectionTimeoutSeconds)),
            item(.CONNECTION_MEMORY_LIMIT, max(8 * 1024, configuration.connectionMemoryLimit)),
            item(.LISTEN_BACKLOG_SIZE, 1024),
            item(.SIGPIPE_HANDLED_BY_APP, 1),
            item(.URI_LOG_CALLBACK, unsafeBitCast(uriLogCallback, to: Int.self), context),
            item(.NOTIFY_COMPLETED, unsafeBitCast(requestCompletedCallback, to: Int.self), context),
            item(.END, 0),
        ]
    }

    /// Stops accepting new connections; requests already in progress go on.
    public func quiesce() {
        daemon.withLock { handle in
            guard let pointer = handle?.pointer else { return }
            let socket = MHD_quiesce_daemon(pointer)
            if socket >= 0 { listenSocket.withLock { $0 = socket } }
        }
    }

    /// Waits up to `grace` for requests in flight to finish, answers any request still waiting for a responder with
    /// the handler's `shutdownResponse`, and stops the daemon. Safe to call twice.
    public func stop(grace: Duration = .seconds(2)) {
        guard daemon.withLock({ $0 != nil }) else { return }
        quiesce()
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: grace)
        while liveRequests.load(ordering: .acquiring) > 0 && clock.now < deadline {
            usleep(5_000)
        }
        // Whatever is still suspended gets an answer, so no connection is suspended when the daemon stops.
        let leftovers = suspended.withLock { Array($0.values) }
        for (request, connection) in leftovers {
            HTTPResponder(request: request, connection: connection, server: self).respond(handler.shutdownResponse)
        }
        let flushDeadline = clock.now.advanced(by: .milliseconds(500))
        while !suspended.withLock({ $0.isEmpty }) && clock.now < flushDeadline {
            usleep(2_000)
        }
        guard let handle = daemon.withLock({ current -> DaemonHandle? in
            defer { current = nil }
            return current
        }) else { return }
        MHD_stop_daemon(handle.pointer)
        let socket = listenSocket.withLock { value -> Int32 in
            defer { value = -1 }
            return value
        }
        if socket >= 0 { close(socket) }
        handle.logger.deallocate()
        // Balances the passRetained in start().
        Unmanaged<HTTPServer>.fromOpaque(handle.context).release()
    }

    // MARK: - Called from the responder

    func resume(connection: ConnectionHandle) {
        MHD_resume_connection(connection.pointer)
    }
}

/// The daemon pointer and the retained context it was started with.
struct DaemonHandle: @unchecked Sendable {
    let pointer: OpaquePointer
    let context: UnsafeMutableRawPointer
    let logger: UnsafeMutablePointer<mo_mhd_logger>
}
