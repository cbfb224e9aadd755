import Testing
@testable import MOSystem

@Suite("OutputCapture keeps the first maxOutputBytes")
struct OutputCaptureTests {
    private func capture(limit: Int, chunks: [[UInt8]]) -> OutputCapture {
        var capture = OutputCapture(limit: limit)
        for chunk in chunks {
            chunk.withUnsafeBytes { capture.append($0) }
        }
        return capture
    }

    @Test("chunks within the limit are kept whole and not flagged")
    func withinLimit() {
        let result = capture(limit: 10, chunks: [[1, 2, 3], [], [4, 5, 6, 7]])
        #expect(result.bytes == [1, 2, 3, 4, 5, 6, 7])
        #expect(!result.truncated)
    }

    @Test("exactly the limit is kept whole and not flagged")
    func exactlyTheLimit() {
        let result = capture(limit: 6, chunks: [[1, 2, 3], [4, 5, 6]])
        #expect(result.bytes == [1, 2, 3, 4, 5, 6])
        #expect(!result.truncated)
    }

    @Test("a chunk crossing the limit is cut at it and flagged", arguments: [
        (5, [[1, 2, 3], [4, 5, 6, 7]], [1, 2, 3, 4, 5]),
        (3, [[1, 2, 3, 4]], [1, 2, 3]),
        (3, [[1, 2, 3], [4]], [1, 2, 3]),
        (0, [[1]], []),
    ] as [(Int, [[UInt8]], [UInt8])])
    func crossingTheLimit(limit: Int, chunks: [[UInt8]], kept: [UInt8]) {
        let result = capture(limit: limit, chunks: chunks)
        #expect(result.bytes == kept)
        #expect(result.truncated)
    }

    @Test("bytes after truncation are dropped, however many chunks follow")
    func afterTruncation() {
        let result = capture(limit: 2, chunks: [[1, 2, 3], [4], [5, 6]])
        #expect(result.bytes == [1, 2])
        #expect(result.truncated)
    }

    @Test("a negative limit keeps nothing; empty output is not truncation")
    func negativeLimit() {
        #expect(capture(limit: -5, chunks: [[1]]) == capture(limit: 0, chunks: [[1]]))
        #expect(!capture(limit: -5, chunks: [[]]).truncated)
    }
}
