import MOPolicy
import TOMLKit

/// `[media]`: the downloader.
extension ReceiverConfig {
    mutating func readMedia(_ root: TOMLTable, _ reader: ConfigReader) throws(ConfigError) {
        let table = try reader.section(root, "media", known: [
            "enabled", "directory", "workers", "max_bytes", "allowed_hosts", "connect_timeout_ms", "timeout_seconds",
            "low_speed_bytes_per_second", "low_speed_seconds", "at_risk_hours", "delete_after_download",
            "allow_http_for_tests", "allow_loopback_for_tests",
        ])
        media.enabled = try reader.bool(table, "media", "enabled") ?? media.enabled
        if let directory = try reader.string(table, "media", "directory") {
            guard directory.hasPrefix("/") || directory.hasPrefix(".") else {
                throw reader.error("media.directory", "'\(directory)' must be an absolute path, e.g. \"/var/lib/mo-receiver/media\"")
            }
            media.directory = directory
        }
        media.workers = try reader.int(table, "media", "workers", in: 1...32) ?? media.workers
        media.maxBytes = try reader.int(table, "media", "max_bytes", in: 1_024...(2 << 30)) ?? media.maxBytes
        if let hosts = try reader.strings(table, "media", "allowed_hosts") {
            for (index, host) in hosts.enumerated() {
                do { _ = try MediaHostPattern(parsing: host) } catch {
                    throw reader.error("media.allowed_hosts[\(index)]", "\(error)")
                }
            }
            media.allowedHosts = hosts
        }
        media.connectTimeoutMilliseconds = try reader.int(table, "media", "connect_timeout_ms", in: 100...60_000)
            ?? media.connectTimeoutMilliseconds
        media.timeoutSeconds = try reader.int(table, "media", "timeout_seconds", in: 1...86_400) ?? media.timeoutSeconds
        media.lowSpeedBytesPerSecond = try reader.int(table, "media", "low_speed_bytes_per_second", in: 1...(100 << 20))
            ?? media.lowSpeedBytesPerSecond
        media.lowSpeedSeconds = try reader.int(table, "media", "low_speed_seconds", in: 1...3_600) ?? media.lowSpeedSeconds
        media.atRiskHours = try reader.int(table, "media", "at_risk_hours", in: 1...720) ?? media.atRiskHours
        media.deleteAfterDownload = try reader.bool(table, "media", "delete_after_download") ?? media.deleteAfterDownload
        media.allowHTTPForTests = try reader.bool(table, "media", "allow_http_for_tests") ?? media.allowHTTPForTests
        media.allowLoopbackForTests = try reader.bool(table, "media", "allow_loopback_for_tests")
            ?? media.allowLoopbackForTests
    }
}
