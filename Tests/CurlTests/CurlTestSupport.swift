import Curl
import MOTestSupport

/// A request to the fake server: plain http allowed, a timeout that only a broken test reaches.
func localRequest(_ url: String, method: String = "GET", headers: [(name: String, value: String)] = [],
                  body: [UInt8] = []) -> HTTPClientRequest {
    HTTPClientRequest(method: method, url: url, headers: headers, body: body, timeout: .seconds(10),
                      allowedProtocols: ["http"])
}

/// The CurlError `body` threw, or nil when it returned (or threw something else).
func failure<T>(of body: () throws -> T) -> CurlError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error as? CurlError
    }
}

/// How long `body` took.
func timed<T>(_ body: () -> T) -> (T, Duration) {
    let clock = ContinuousClock()
    let start = clock.now
    let value = body()
    return (value, clock.now - start)
}

/// `count` bytes of a repeating, position-dependent pattern (so a reordering or a dropped byte shows).
func patternBytes(_ count: Int) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 / 251) }
}
