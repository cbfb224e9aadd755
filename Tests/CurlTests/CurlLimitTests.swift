import Curl
import MOTestSupport
import Testing

@Suite("Timeouts, size limits and broken transfers")
struct CurlLimitTests {
    @Test("a server slower than the timeout gives .timeout well within three times the timeout")
    func slowServerTimesOut() throws {
        let server = try FakeHTTPServer { _ in FakeResponse.status(200, body: "late").delayed(milliseconds: 5_000) }
        defer { server.stop() }
        var request = localRequest(server.url)
        request.timeout = .milliseconds(400)
        let easy = try CurlEasy()
        let (error, took) = timed { failure { try easy.perform(request) } }
        #expect(error?.kind == .timeout)
        #expect(error?.isTransient == true)
        #expect(took >= .milliseconds(350))
        #expect(took < .milliseconds(1_200))
    }

    @Test("a server that never answers gives .timeout")
    func silentServerTimesOut() throws {
        let server = try FakeHTTPServer { _ in .neverAnswer }
        defer { server.stop() }
        var request = localRequest(server.url)
        request.timeout = .milliseconds(300)
        let (error, took) = timed { failure { try CurlEasy().perform(request) } }
        #expect(error?.kind == .timeout)
        #expect(took < .milliseconds(900))
        #expect(server.requests.count == 1)
    }

    @Test("a body trickling below the low-speed limit is cut off as .timeout")
    func lowSpeedCutsOff() throws {
        let server = try FakeHTTPServer { _ in .trickle(body: patternBytes(200), bytes: 1, everyMilliseconds: 250) }
        defer { server.stop() }
        var request = localRequest(server.url)
        request.lowSpeed = (bytesPerSecond: 100, seconds: 1)
        let (error, took) = timed { failure { try CurlEasy().perform(request) } }
        #expect(error?.kind == .timeout)
        #expect(took < .seconds(4))
    }

    @Test("a trickle faster than the low-speed limit completes")
    func fastEnoughTrickleCompletes() throws {
        let body = patternBytes(2_000)
        let server = try FakeHTTPServer { _ in .trickle(body: body, bytes: 200, everyMilliseconds: 20) }
        defer { server.stop() }
        var request = localRequest(server.url)
        request.lowSpeed = (bytesPerSecond: 100, seconds: 1)
        #expect(try CurlEasy().perform(request).body == body)
    }

    @Test("a declared Content-Length above maxResponseBytes is .tooLarge")
    func declaredLengthTooLarge() throws {
        let server = try FakeHTTPServer { _ in .status(200, body: patternBytes(2_000)) }
        defer { server.stop() }
        var request = localRequest(server.url)
        request.maxResponseBytes = 1_000
        var sinkCalls = 0
        let error = failure { try CurlEasy().perform(request, sink: { _ in sinkCalls += 1; return true }) }
        #expect(error?.kind == .tooLarge)
        #expect(error?.isTransient == false)
        #expect(sinkCalls == 0)
    }

    @Test("a HEAD reporting a length above maxResponseBytes is answered, since no body is read")
    func headIgnoresDeclaredLength() throws {
        let server = try FakeHTTPServer { _ in .raw("HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n") }
        defer { server.stop() }
        var request = localRequest(server.url, method: "HEAD")
        request.maxResponseBytes = 1_000
        let response = try CurlEasy().perform(request)
        #expect(response.value(of: "Content-Length") == "5000")
    }

    @Test("a chunked body growing past maxResponseBytes is .tooLarge")
    func chunkedBodyTooLarge() throws {
        let server = try FakeHTTPServer { _ in .chunked(chunks: Array(repeating: patternBytes(300), count: 10)) }
        defer { server.stop() }
        var request = localRequest(server.url)
        request.maxResponseBytes = 1_000
        #expect(failure { try CurlEasy().perform(request) }?.kind == .tooLarge)
    }

    @Test("a close-delimited body past maxResponseBytes is .tooLarge")
    func closeDelimitedBodyTooLarge() throws {
        let server = try FakeHTTPServer { _ in .untilClose(body: patternBytes(5_000)) }
        defer { server.stop() }
        var request = localRequest(server.url)
        request.maxResponseBytes = 1_000
        #expect(failure { try CurlEasy().perform(request) }?.kind == .tooLarge)
    }

    @Test("a Content-Length that understates the body is not a way past the limit")
    func understatedLength() throws {
        // libcurl reads only the declared 10 bytes; the rest is not part of this response.
        let server = try FakeHTTPServer { _ in .lyingLength(declaredLength: 10, body: patternBytes(5_000)) }
        defer { server.stop() }
        var request = localRequest(server.url)
        request.maxResponseBytes = 1_000
        #expect(try CurlEasy().perform(request).body == Array(patternBytes(5_000).prefix(10)))
    }

    @Test("a body of exactly maxResponseBytes is accepted however it is framed",
          arguments: ["content-length", "chunked", "close-delimited"])
    func bodyAtLimitAccepted(framing: String) throws {
        let body = patternBytes(1_000)
        let server = try FakeHTTPServer { _ in
            switch framing {
            case "chunked": return .chunked(chunks: [Array(body[..<400]), Array(body[400...])])
            case "close-delimited": return .untilClose(body: body)
            default: return .status(200, body: body)
            }
        }
        defer { server.stop() }
        var request = localRequest(server.url)
        request.maxResponseBytes = 1_000
        #expect(try CurlEasy().perform(request).body == body)
    }

    @Test("a maxResponseBytes of 0 accepts an empty body and refuses one byte")
    func zeroLimit() throws {
        let server = try FakeHTTPServer { request in
            request.path == "/empty" ? .status(204) : .chunked(chunks: [[1]])
        }
        defer { server.stop() }
        let easy = try CurlEasy()
        var request = localRequest("\(server.url)/empty")
        request.maxResponseBytes = 0
        #expect(try easy.perform(request).status == 204)
        request.url = "\(server.url)/one"
        #expect(failure { try easy.perform(request) }?.kind == .tooLarge)
    }

    @Test("a body shorter than its declared Content-Length is .interrupted and transient")
    func shortBodyInterrupted() throws {
        let server = try FakeHTTPServer { _ in .lyingLength(declaredLength: 1_000, body: patternBytes(10)) }
        defer { server.stop() }
        let error = failure { try CurlEasy().perform(localRequest(server.url)) }
        #expect(error?.kind == .interrupted)
        #expect(error?.isTransient == true)
    }

    @Test("a server that closes without answering is .interrupted")
    func closedWithoutAnswer() throws {
        let server = try FakeHTTPServer { _ in FakeResponse([.close]) }
        defer { server.stop() }
        let error = failure { try CurlEasy().perform(localRequest(server.url)) }
        #expect(error?.kind == .interrupted)
        #expect(error?.isTransient == true)
    }

    @Test("a reply that is not HTTP is .malformedResponse")
    func garbageReply() throws {
        let server = try FakeHTTPServer { _ in FakeResponse.raw("SSH-2.0-OpenSSH_9.2\r\n\r\n").closing() }
        defer { server.stop() }
        #expect(failure { try CurlEasy().perform(localRequest(server.url)) }?.kind == .malformedResponse)
    }
}
