import Logging
import MOPolicy
import MOStore

/// `type = "log"`: one structured line per item (kind, id, channel, redacted numbers). Settings: `level`
/// (default "info"). Stateless; safe from any thread.
struct LogEventHandler: EventHandler {
    let level: Logger.Level
    let redactor: Redactor

    static func make(_ spec: HandlerSpec, _ environment: HandlerEnvironment) throws(HandlerSettings.Problem) -> any EventHandler {
        try spec.settings.refuseUnknown(known: ["level"], type: spec.type)
        var level = Logger.Level.info
        if let name = try spec.settings.string("level") {
            guard let parsed = Logger.Level(rawValue: name.lowercased()) else {
                throw HandlerSettings.Problem("level", "'\(name)' must be one of trace, debug, info, notice, warning, error, critical")
            }
            level = parsed
        }
        return LogEventHandler(level: level, redactor: environment.redactor)
    }

    func handle(_ event: EventDocument, context: HandlerContext) -> JobResult {
        var metadata: Logger.Metadata = [
            "handler.name": "\(context.handlerName)", "event.kind": "\(event.kind.rawValue)", "event.id": "\(event.id)",
        ]
        if let channel = event.channel { metadata["cm.channel"] = "\(channel)" }
        if let from = event.from { metadata["cm.from"] = "\(redactor.phone(from))" }
        if let to = event.to { metadata["cm.to"] = "\(redactor.phone(to))" }
        context.logger.log(level: level, "event received", metadata: metadata)
        return .completed
    }
}
