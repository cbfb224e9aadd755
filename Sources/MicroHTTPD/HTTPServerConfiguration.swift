/// How the listener binds and protects itself. Value type.
public struct HTTPServerConfiguration: Sendable, Equatable {
    /// Numeric IPv4 or IPv6 address to bind ("127.0.0.1", "::1", "0.0.0.0").
    public var host: String
    /// 0 picks a free port (tests); read it back with `HTTPServer.boundPort`.
    public var port: UInt16
    /// libmicrohttpd's poll-based internal thread pool size.
    public var threads: Int
    /// Open connections at most (libmicrohttpd refuses more).
    public var connectionLimit: Int
    /// Seconds of inactivity before a connection is closed (slow clients belong to the proxy; this is the backstop).
    public var connectionTimeoutSeconds: Int
    /// Per-connection memory pool; also bounds the size of the request headers. libmicrohttpd zeroes the pool
    /// between the requests of a keep-alive connection, so its size is paid on every request: 32 KiB (the
    /// library's own default) holds any header block a proxy forwards and reads bodies in large enough chunks.
    public var connectionMemoryLimit: Int

    public init(host: String = "127.0.0.1", port: UInt16 = 8080, threads: Int = 2, connectionLimit: Int = 1024,
                connectionTimeoutSeconds: Int = 15, connectionMemoryLimit: Int = 32 * 1024) {
        self.host = host
        self.port = port
        self.threads = threads
        self.connectionLimit = connectionLimit
        self.connectionTimeoutSeconds = connectionTimeoutSeconds
        self.connectionMemoryLimit = connectionMemoryLimit
    }
}
