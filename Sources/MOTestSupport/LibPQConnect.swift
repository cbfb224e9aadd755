import LibPQ

/// A connection to a test database by URL.
public enum LibPQConnect {
    public static func open(_ url: String) throws -> PGConnection {
        try PGConnection(parameters: [("dbname", url)])
    }
}
