import MOPolicy
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
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

/// A setting that is valid but most likely wrong: printed by `moctl check-config`, logged at startup, never fatal.
/// A plain value; `description` is one line naming the key.
public struct ConfigWarning: Sendable, Equatable, CustomStringConvertible {
    /// The dotted key, e.g. "cm.token_in_body".
    public let key: String
    public let message: String

    public var description: String { "\(key): \(message)" }
}

extension ReceiverConfig {
    /// CM's Cloudflare endpoint, the only one that reads the product token from the `X-CM-PRODUCTTOKEN` header
    /// (seed 000: "This feature currently only works in Europe, using our Cloudflare endpoint:
    /// https://gw.messaging.cm.com/v1.0/message. Other endpoints will receive this feature later.").
    public static let cloudflareSendURL = "https://gw.messaging.cm.com/v1.0/message"

    /// Whether `url` is ``cloudflareSendURL`` (host ignoring case, a trailing slash allowed).
    static func isCloudflareEndpoint(_ url: String) -> Bool {
        guard let parts = URLComponents(string: url), parts.scheme?.lowercased() == "https", parts.port == nil,
              parts.host?.lowercased() == "gw.messaging.cm.com" else { return false }
        let path = parts.path.hasSuffix("/") ? String(parts.path.dropLast()) : parts.path
        return path == "/v1.0/message"
    }

    /// Settings that load but will most likely fail at run time.
    public var warnings: [ConfigWarning] {
        var warnings: [ConfigWarning] = []
        if !cm.tokenInBody && !Self.isCloudflareEndpoint(cm.sendURL) {
            warnings.append(ConfigWarning(key: "cm.token_in_body", message: "is false, so the product token goes in "
                + "the X-CM-PRODUCTTOKEN header, which CM reads only on its Cloudflare endpoint \(Self.cloudflareSendURL); "
                + "cm.send_url is another endpoint, which will refuse every send (error 101): set token_in_body = true"))
        }
        return warnings
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
