import MOPolicy
import Foundation
import TOMLKit

/// `[cm]`: CM's send API.
extension ReceiverConfig {
    /// The systemd credential the product token may come in (`LoadCredential=cm-product-token:/etc/…`).
    static let productTokenCredential = "cm-product-token"

    mutating func readCM(_ root: TOMLTable, _ reader: ConfigReader,
                         environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigError) {
        let table = try reader.section(root, "cm", known: [
            "send_url", "product_token_file", "token_in_body", "timeout_ms", "grouping", "allow_http",
        ])
        cm.allowHTTP = try reader.bool(table, "cm", "allow_http") ?? cm.allowHTTP
        if let url = try reader.string(table, "cm", "send_url") {
            let scheme = url.prefix { $0 != ":" }.lowercased()
            guard url.contains("://"), scheme == "https" || (cm.allowHTTP && scheme == "http") else {
                throw reader.error("cm.send_url", "'\(url)' must be an https:// URL")
            }
            cm.sendURL = url
        }
        cm.tokenInBody = try reader.bool(table, "cm", "token_in_body") ?? cm.tokenInBody
        cm.timeoutMilliseconds = try reader.int(table, "cm", "timeout_ms", in: 500...120_000) ?? cm.timeoutMilliseconds
        if let grouping = try reader.string(table, "cm", "grouping") {
            guard (1...100).contains(grouping.count), !grouping.contains(where: \.isNewline) else {
                throw reader.error("cm.grouping", "must be 1–100 characters on one line")
            }
            cm.grouping = grouping
        }
        var path = try reader.string(table, "cm", "product_token_file")
        if path?.isEmpty ?? true, let directory = environment["CREDENTIALS_DIRECTORY"] {
            let credential = directory + "/" + Self.productTokenCredential
            if FileManager.default.fileExists(atPath: credential) { path = credential }
        }
        if let path, !path.isEmpty {
            do {
                cm.productToken = try SecretFile.read(path)
            } catch {
                throw reader.error("cm.product_token_file", error.description)
            }
        }
    }
}

extension ReceiverConfig {
    /// What handlers are built with: redaction, and CM's send API when a product token is configured.
    public var handlerEnvironment: HandlerEnvironment { handlerEnvironment(metrics: nil) }

    /// The same, with the send client counting its outcomes in `metrics`.
    func handlerEnvironment(metrics: Metrics?) -> HandlerEnvironment {
        HandlerEnvironment(redactor: Redactor(pii: log.pii), cm: try? CMSender(settings: cm, metrics: metrics),
                           keywordClaims: keywordClaims)
    }

    /// The sender an auto_reply handler configures for `channel` (its `senders` table), for `moctl send`.
    public func autoReplySender(channel: String) -> String? {
        for spec in handlers where spec.type == "auto_reply" {
            guard let senders = try? spec.settings.table("senders") else { continue }
            for (name, value) in senders.values where name.lowercased() == channel.lowercased() {
                if case .string(let sender) = value { return sender }
            }
        }
        return nil
    }
}
