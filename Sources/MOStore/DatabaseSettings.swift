import LibPQ

/// How to reach PostgreSQL. Value type.
public struct DatabaseSettings: Sendable, Equatable {
    /// A libpq connection URI or keyword/value conninfo string. Parameters it names win over the defaults below.
    public var url: String
    /// Seconds libpq waits for a connection (libpq's minimum is 2).
    public var connectTimeoutSeconds: Int
    /// Server-side limit for one statement.
    public var statementTimeoutMilliseconds: Int
    /// Shown in pg_stat_activity.
    public var applicationName: String

    public init(url: String, connectTimeoutSeconds: Int = 2, statementTimeoutMilliseconds: Int = 5_000,
                applicationName: String = "mo-receiver") {
        self.url = url
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.statementTimeoutMilliseconds = statementTimeoutMilliseconds
        self.applicationName = applicationName
    }

    /// Opens a connection with durable commits on, and timeouts that turn a dead network into an error in seconds.
    public func connect() throws(PGError) -> PGConnection {
        let connection = try PGConnection(parameters: [
            ("connect_timeout", String(max(2, connectTimeoutSeconds))),
            ("keepalives", "1"),
            ("keepalives_idle", "5"),
            ("keepalives_interval", "2"),
            ("keepalives_count", "2"),
            ("tcp_user_timeout", "5000"),
            ("application_name", applicationName),
            ("dbname", url),
        ])
        // No call waits longer than the server may work on it, plus a margin for the network: a connection that
        // goes silent (hung backend, proxy without upstream) is dropped and replaced instead of blocking for good.
        if statementTimeoutMilliseconds > 0 {
            connection.roundTripLimit = .milliseconds(statementTimeoutMilliseconds + 2_000)
        }
        // 200 means durable: never let a server default of synchronous_commit=off answer for us.
        try connection.execute(script: """
            SET synchronous_commit = on;
            SET statement_timeout = \(max(0, statementTimeoutMilliseconds));
            SET idle_in_transaction_session_timeout = 60000;
            """)
        return connection
    }
}
