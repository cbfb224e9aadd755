import ArgumentParser
import CMWebhook
import JSON
import Logging
import MOPolicy
import MOReceiver
import MOStore

struct Send: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Send one message through CM's send API, as an operator.",
        discussion: """
            Uses the daemon's CM settings ([cm] in the config: send_url, product token) and records the message
            in outbound_messages like an auto-reply, so its status reports attach to it (moctl outbound show ID).
            Without --from, the sender is the one an auto_reply handler configures for the channel (senders).

            --to in +31… or 0031… form is sent as CM asks (0031…); ids with letters and bare digits (a Twitter id)
            go as given. --channel is any name CM's send API or its inbound webhook uses, in any case ("Apple
            Messages for Business" is sent as "Apple Business Chat").

            The checks every send passes run first: on a channel with a conversation window (WhatsApp, Twitter,
            Instagram, Apple Business Chat, …) the customer's latest message on it must be recent enough, and on
            Twitter at most 5 messages may follow each message from the customer (auto-replies included). When one
            refuses, nothing is sent, the message is recorded as skipped and the reason printed (exit 1); --force
            sends anyway (CM may refuse it, or count it against the account's rate limit).

            Example:
              moctl send --to +31612345678 --channel WhatsApp --text "Your order has shipped" --from +3197012345678

            Exit codes: 0 accepted by CM, 1 rejected, failed or skipped (the reason is printed), 2 usage, 3 not ready.
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "The recipient's number (international format) or channel id.") var to: String
    @Option(help: "The channel: SMS, WhatsApp, RCS, Viber, Apple Business Chat, Twitter, Instagram (any case).")
    var channel: String
    @Option(help: "The message text.") var text: String
    @Option(help: "The sender: a number or alphanumeric sender id registered with CM.") var from: String?
    @Flag(help: "Send even when the conversation window is closed or Twitter's 5 messages are used up.")
    var force = false

    func validate() throws {
        guard !text.isEmpty else { throw ValidationError("--text must not be empty") }
        guard !to.isEmpty, !channel.isEmpty else { throw ValidationError("--to and --channel must not be empty") }
        guard CMSendChannel.sendName(for: channel) != nil else {
            throw ValidationError("--channel '\(channel)' is not a channel CM's send API takes: "
                                  + CMSendChannel.sendNames.joined(separator: ", "))
        }
    }

    func run() throws {
        let (config, connection) = try Tool.load(global.config)
        let sender: CMSender
        do { sender = try CMSender(settings: config.cm) } catch { Tool.fail("\(error)", code: 2) }
        let sendChannel = CMSendChannel.sendName(for: channel) ?? channel
        guard let from = from ?? config.autoReplySender(channel: channel) ?? config.autoReplySender(channel: sendChannel) else {
            Tool.fail("give --from: no auto_reply handler configures a sender for channel \(channel)", code: 2)
        }
        var logger = Logger(label: "moctl")
        logger.logLevel = .critical
        do {
            let id = try OutboundStore(connection: connection).insert(OutboundStore.Intent(
                reference: (try? OutboundReference.make(prefix: "op")) ?? OutboundReference.make(),
                recipient: CMSendRecipient.normalize(to), sender: from, channel: sendChannel, body: text,
                origin: "moctl", allowedChannels: [sendChannel]))
            switch try sender.send(outboundID: id, outbound: OutboundStore(connection: connection), logger: logger, force: force) {
            case .accepted(let parts):
                print("accepted: outbound message \(id)" + (parts.map { ", \($0) part(s)" } ?? ""))
            case .rejected(let reason):
                Tool.fail("rejected by CM (outbound message \(id)): \(reason)")
            case .retry(let reason):
                Tool.fail("not sent (outbound message \(id) stays an intent): \(reason)")
            case .failed(let reason):
                Tool.fail("failed (outbound message \(id)): \(reason)")
            case .skipped(let reason, let detail):
                Tool.fail("warning: not sent (outbound message \(id) skipped, \(reason.rawValue)): \(detail). "
                          + "Send anyway with --force.")
            }
        } catch {
            Tool.fail("send: \(error)")
        }
    }
}

struct OptOuts: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optouts",
        abstract: "Customers who opted out of auto-replies (STOP): list, add, remove.",
        discussion: """
            Examples:
              moctl optouts list
              moctl optouts add +31612345678 --channel WhatsApp
              moctl optouts remove +31612345678
            """,
        subcommands: [List.self, Add.self, Remove.self],
        defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List opt-outs, newest first.",
                                                        discussion: "Example:\n  moctl optouts list --json")
        @OptionGroup var global: GlobalOptions
        @Option(help: "At most this many.") var limit = 100
        @Flag(name: .long, help: "Print JSON lines.") var json = false

        func run() throws {
            let connection = try Tool.connect(global.config)
            let rows: [AutoReplyStore.OptOut]
            do { rows = try AutoReplyStore(connection: connection).optOuts(limit: limit) } catch { Tool.fail("optouts: \(error)") }
            Tool.printList(rows, json: json, empty: "no opt-outs")
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Opt a customer out: no more auto-replies.",
                                                        discussion: "Example:\n  moctl optouts add +31612345678")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The customer's number or channel id.") var number: String
        @Option(help: "The channel it was asked on (informational).") var channel: String?

        func run() throws {
            let connection = try Tool.connect(global.config)
            do {
                let added = try AutoReplyStore(connection: connection).optOut(number: number, channel: channel, keyword: nil,
                                                                              messageID: nil, source: "moctl")
                print(added ? "opted out" : "already opted out")
            } catch { Tool.fail("optouts add: \(error)") }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Opt a customer in again.",
                                                        discussion: "Example:\n  moctl optouts remove +31612345678")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The customer's number or channel id.") var number: String

        func run() throws {
            let connection = try Tool.connect(global.config)
            do {
                let removed = try AutoReplyStore(connection: connection).optIn(number: number)
                if !removed { Tool.fail("\(number) was not opted out") }
                print("opted in again")
            } catch { Tool.fail("optouts remove: \(error)") }
        }
    }
}

extension AutoReplyStore.OptOut: ListedRow {
    func writeJSON(to o: inout JSONWriter.ObjectWriter) {
        o.field("number", number)
        o.field("channel", channel)
        o.field("source", source)
        o.field("keyword", keyword)
        o.field("created_at", createdAt)
    }

    var textLine: String {
        "\(createdAt)  \(number)  \(channel ?? "-")  \(source)\(keyword.map { " (\($0))" } ?? "")"
    }
}
