import Curl
import Testing

@Suite("Handle pool")
struct CurlHandlePoolTests {
    @Test("a returned handle is lent again, also after a throwing body; a handle in use is never lent twice")
    func lendsAndReuses() throws {
        let pool = CurlHandlePool()
        let first = try pool.with { ObjectIdentifier($0) }
        #expect(try pool.with { ObjectIdentifier($0) } == first, "the parked handle is reused")
        #expect(throws: CurlError.self) {
            try pool.with { _ throws(CurlError) -> Void in throw CurlError(kind: .aborted, code: 42, message: "thrown by the body") }
        }
        let (outer, inner) = try pool.with { outer throws(CurlError) in
            (ObjectIdentifier(outer), try pool.with { ObjectIdentifier($0) })
        }
        #expect(outer == first, "the handle came back after the throwing body")
        #expect(inner != outer, "a nested borrower gets a handle of its own")
    }
}
