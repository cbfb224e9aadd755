import MOReceiver
import Testing

@Suite("[retention] config")
struct RetentionConfigTests {
    static let base = """
        [database]
        url = "postgresql://localhost/mo"

        """

    @Test("defaults: raw 90 days, normalized 400, media files 30; finished jobs follow [queue]")
    func defaults() throws {
        let config = try ReceiverConfig.parse(Self.base, file: "config.toml")
        let ages = config.retentionAges
        #expect(ages.rawPayloads == .seconds(90 * 86_400))
        #expect(ages.normalizedRows == .seconds(400 * 86_400))
        #expect(ages.mediaFiles == .seconds(30 * 86_400))
        #expect(ages.completedJobs == config.queue.completedRetention)
        #expect(ages.discardedJobs == config.queue.discardedRetention)
        #expect(config.retention.batchSize == 5_000)
    }

    @Test("0 keeps a part forever")
    func forever() throws {
        let config = try ReceiverConfig.parse(Self.base + """
            [retention]
            raw_payloads_days = 0
            normalized_rows_days = 0
            media_files_days = 0
            """, file: "config.toml")
        #expect(config.retentionAges.rawPayloads == nil)
        #expect(config.retentionAges.normalizedRows == nil)
        #expect(config.retentionAges.mediaFiles == nil)
    }

    @Test("a request age under CM's 30-day retry window is refused, naming file, line and key", arguments: [
        ("raw_payloads_days = 30", "retention.raw_payloads_days"), ("normalized_rows_days = 1", "retention.normalized_rows_days"),
        ("batch_size = 10", "retention.batch_size"), ("media_files_days = -1", "retention.media_files_days"),
        ("keep_everything = true", "retention.keep_everything"),
    ])
    func refused(line: String, key: String) {
        do {
            _ = try ReceiverConfig.parse(Self.base + "[retention]\n" + line + "\n", file: "config.toml")
            Issue.record("\(line) was accepted")
        } catch {
            #expect(error.key == key)
            #expect(error.line == 4)
            #expect(error.description.hasPrefix("config.toml:4: \(key)"))
        }
    }
}
