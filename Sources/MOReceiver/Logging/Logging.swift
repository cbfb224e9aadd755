#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import Synchronization

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

    /// Bootstraps swift-log for an executable (libraries never do this). Every logger follows
    /// `ProcessLogLevel.shared`, which a config reload changes.
    public func bootstrap() {
        ProcessLogLevel.shared.level = loggerLevel
        let format = resolvedFormat
        LoggingSystem.bootstrap { label in LineLogHandler(label: label, shared: .shared, format: format) }
    }
}

/// The log level every logger of the process follows (set at start and by a config reload). Read on every log
/// call: one relaxed atomic load.
public final class ProcessLogLevel: Sendable {
    public static let shared = ProcessLogLevel(.info)
    private let raw: Atomic<Int>

    public init(_ level: Logger.Level) {
        raw = Atomic(Self.levels.firstIndex(of: level) ?? 2)
    }

    public var level: Logger.Level {
        get { Self.levels[raw.load(ordering: .relaxed)] }
        set { raw.store(Self.levels.firstIndex(of: newValue) ?? 2, ordering: .relaxed) }
    }

    private static let levels = Logger.Level.allCases
}
