import Foundation
import Logging
import MOReceiver
import MOTestSupport
import Testing

@Suite("Logs")
struct LogRedactionTests {
    @Test("even at debug level the sender's number and the message text never reach the log")
    func redactsPhoneNumbers() throws {
        let harness = try ReceiverHarness(level: .debug)
        let body = Array(#"{"from":{"number":"+31612345678"},"to":{"number":"3669"},"message":{"text":"CANARYTEXT"},"channel":"SMS"}"#.utf8)
        #expect(try harness.post(body: body).status == 200)
        _ = try harness.post(body: Array(#"{"from":{"number":"+31612345678"},"message":{"text":7}}"#.utf8))
        harness.receiver.shutdown()
        let lines = harness.logs.captured
        #expect(lines.contains { $0.contains("stored webhook request") && $0.contains("cm.from=+31******678") }, "\(lines)")
        #expect(!lines.contains { $0.contains("612345678") || $0.contains("CANARYTEXT") })
    }

    @Test("a log line is one line with constant message and key=value metadata")
    func lineFormat() {
        let sink = LineSink.capturing()
        let handler = LineLogHandler(label: "x", level: .info, format: .journal, sink: sink)
        handler.log(event: LogEvent(level: .warning, message: "something happened",
                                    metadata: ["a.b": "two words", "c": "plain"], source: "s", file: "f", function: "g", line: 1))
        #expect(sink.captured == [#"<4>x: something happened a.b="two words" c=plain"#])
    }
}
