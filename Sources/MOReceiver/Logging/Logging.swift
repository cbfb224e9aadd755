import Foundation
import Logging

extension ReceiverConfig.Log {
    /// The line format to use: `auto` means journal under systemd (JOURNAL_STREAM set), text otherwise.
    public var resolvedFormat: LineLogHandler.Format {
        switch format {
        case .text: return .text
        case .journal: return .journal
        case .json: return .json
        case .auto: return ProcessInfo.processInfo.environment["JOURNAL_STREAM"] == nil ? .text : .journal
        }
    }

    public var loggerLevel: Logger.Level { Logger.Level(rawValue: level) ?? .info }

    /// Bootstraps swift-log for an executable (libraries never do this).
    public func bootstrap() {
        let level = loggerLevel
        let format = resolvedFormat
        LoggingSystem.bootstrap { label in LineLogHandler(label: label, level: level, format: format) }
    }
}
