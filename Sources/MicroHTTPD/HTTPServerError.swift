/// Why the server could not start.
public enum HTTPServerError: Error, Sendable, CustomStringConvertible {
    case invalidListenAddress(String)
    case startFailed(address: String)

    public var description: String {
        switch self {
        case .invalidListenAddress(let text):
            return "'\(text)' is not a numeric IPv4 or IPv6 address"
        case .startFailed(let address):
            return "could not listen on \(address): the port may be in use or the address not local (see the log line before this one)"
        }
    }
}
