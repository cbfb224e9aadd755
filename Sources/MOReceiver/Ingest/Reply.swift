import JSON
import MOPolicy
import MOStore
import MicroHTTPD

/// Every answer the webhook listener gives, and the one mapping from outcomes to HTTP status. Bodies are a short
/// JSON object: {"result":"stored","id":123}, {"result":"probe","id":125}, {"result":"quarantined","id":124,"reason":"…"}.
enum Reply {
    static func outcome(_ outcome: IngestOutcome, malformedStatus: Int) -> HTTPResponse {
        switch outcome {
        case .stored(let id):
            return json(200, ["result": .text("stored"), "id": .number(id)])
        case .duplicate(let id):
            return json(200, ["result": .text("duplicate"), "id": .number(id)])
        case .probe(let id, _):
            return json(200, ["result": .text("probe"), "id": .number(id)])
        case .quarantined(let id, let reason, _):
            return json(malformedStatus, ["result": .text("quarantined"), "id": .number(id), "reason": .text(reason)])
        case .unavailable(let reason):
            return json(503, ["result": .text("unavailable"), "reason": .text(reason)], headers: [("Retry-After", "5")])
        }
    }

    /// A request still waiting for the ingest writer when the listener stops (`HTTPServer.stop` answers it).
    static let shuttingDown = HTTPResponse(
        status: 503, headers: [("Retry-After", "5"), ("Content-Type", "application/json")],
        body: json(503, ["result": .text("unavailable"), "reason": .text("server is shutting down")]).body)

    /// `GET /healthz`: the process answers; no database involved (readiness comes with the admin listener).
    static let healthy = json(200, ["result": .text("ok")])

    static let notFound = json(404, ["result": .text("not_found"), "reason": .text("no webhook is served at this path")])

    static func forbidden(_ reason: String) -> HTTPResponse {
        json(403, ["result": .text("forbidden"), "reason": .text(reason)])
    }

    static func methodNotAllowed(_ endpointName: String) -> HTTPResponse {
        json(405, ["result": .text("method_not_allowed"),
                   "reason": .text("the \(endpointName) webhook takes \(WebhookMethods.delivery.joined(separator: ", ")) and answers \(WebhookMethods.answered.joined(separator: " and "))")],
             headers: [("Allow", WebhookMethods.allowed.joined(separator: ", "))])
    }

    /// HEAD and OPTIONS on a webhook path (from an allowed source): 200 with the methods served; nothing stored.
    static let methods = json(200, ["result": .text("ok")], headers: [("Allow", WebhookMethods.allowed.joined(separator: ", "))])

    static func tooLarge(limit: Int) -> HTTPResponse {
        json(413, ["result": .text("too_large"), "reason": .text("body exceeds http.max_body_bytes (\(limit) bytes)")],
             headers: [("Connection", "close")])
    }

    static func badRequest(_ reason: String) -> HTTPResponse {
        json(400, ["result": .text("bad_request"), "reason": .text(reason)], headers: [("Connection", "close")])
    }

    enum Field {
        case text(String)
        case number(Int64)
    }

    /// Keys are written in a fixed order: result, id, reason.
    static func json(_ status: Int, _ fields: [String: Field], headers: [(name: String, value: String)] = []) -> HTTPResponse {
        var writer = JSONWriter()
        writer.object { object in
            for key in ["result", "id", "reason"] {
                switch fields[key] {
                case .text(let text)?: object.field(key, text)
                case .number(let number)?: object.field(key, number)
                case nil: continue
                }
            }
        }
        return HTTPResponse(status: status, headers: [("Content-Type", "application/json")] + headers,
                            body: writer.bytes)
    }
}
