import MOStore
import TOMLKit

/// `[retention]`: how long what is stored is kept (docs/retention.md). 0 keeps a thing forever.
public struct RetentionSettings: Sendable, Equatable {
    /// Raw request bodies; quarantined requests are deleted whole.
    public var rawPayloadsDays = 90
    /// Normalized rows (inbound messages, status reports, events, their media rows, auto-reply decisions, outbound
    /// messages) and what is left of their requests.
    public var normalizedRowsDays = 400
    /// Downloaded media files (the media row stays, state 'purged').
    public var mediaFilesDays = 30
    /// How often the daemon purges.
    public var purgeIntervalMinutes = 60
    /// Rows per purge transaction.
    public var batchSize = 5_000

    public init() {}

    /// CM retries a delivery for up to 30 days; a request deleted sooner would be stored again by a retry.
    static let minimumRequestDays = 31
}

extension ReceiverConfig {
    mutating func readRetention(_ root: TOMLTable, _ reader: ConfigReader) throws(ConfigError) {
        let table = try reader.section(root, "retention", known: [
            "raw_payloads_days", "normalized_rows_days", "media_files_days", "purge_interval_minutes", "batch_size",
        ])
        for key in ["raw_payloads_days", "normalized_rows_days"] {
            if let days = try reader.int(table, "retention", key, in: 0...36_500),
               days != 0 && days < RetentionSettings.minimumRequestDays {
                throw reader.error("retention.\(key)", "\(days) is too short: CM retries a delivery for up to 30 days, and a request deleted sooner would be stored again; use 0 (forever) or at least \(RetentionSettings.minimumRequestDays)")
            }
        }
        retention.rawPayloadsDays = try reader.int(table, "retention", "raw_payloads_days", in: 0...36_500)
            ?? retention.rawPayloadsDays
        retention.normalizedRowsDays = try reader.int(table, "retention", "normalized_rows_days", in: 0...36_500)
            ?? retention.normalizedRowsDays
        retention.mediaFilesDays = try reader.int(table, "retention", "media_files_days", in: 0...36_500)
            ?? retention.mediaFilesDays
        retention.purgeIntervalMinutes = try reader.int(table, "retention", "purge_interval_minutes", in: 1...10_080)
            ?? retention.purgeIntervalMinutes
        retention.batchSize = try reader.int(table, "retention", "batch_size", in: 100...100_000) ?? retention.batchSize
    }

    /// The ages the purger works with: `[retention]` plus the queue's finished-job ages (`[queue]`).
    public var retentionAges: RetentionPurger.Ages {
        func days(_ value: Int) -> Duration? { value == 0 ? nil : .seconds(value * 86_400) }
        return RetentionPurger.Ages(rawPayloads: days(retention.rawPayloadsDays),
                                    normalizedRows: days(retention.normalizedRowsDays),
                                    mediaFiles: days(retention.mediaFilesDays),
                                    completedJobs: queue.completedRetention, discardedJobs: queue.discardedRetention)
    }
}
