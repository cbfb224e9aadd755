import Foundation
import MOPolicy
import MOReceiver
import Testing

@Suite("Config file")
struct ConfigTests {
    static let minimal = """
        [database]
        url = "postgresql:///mo"
        """

    @Test("the example config is valid and documents every key the loader knows")
    func exampleIsValid() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("config.example.toml").path
        let config = try ReceiverConfig.load(path: path)
        #expect(config.trust.allowedSources == CIDRSet.cmSources)
        #expect(config.http.port == 8080)
        #expect(config.ingest.batching)
        // Every key line of the example carries a comment line above it.
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() where line.contains(" = ") && !line.hasPrefix("#") {
            #expect(index > 0 && lines[index - 1].hasPrefix("#"), "config.example.toml:\(index + 1) has no comment")
        }
    }

    @Test("defaults apply when only the database is given")
    func defaults() throws {
        let config = try ReceiverConfig.parse(Self.minimal, file: "c.toml")
        #expect(config.http.pathPrefix == "/cm")
        #expect(config.http.maxBodyBytes == 262_144)
        #expect(config.trust.clientIPHeader == .none)
        #expect(config.ingest.malformedStatus == 200)
        #expect(config.log.pii == false)
    }

    @Test("a bad value names file, line and key, and says what is wrong", arguments: [
        ("[trust]\nallowed_sources = [\"31.169.56.0/21\", \"31.169.57.0/21\"]\n", "c.toml:2: trust.allowed_sources[1]:", "31.169.56.0/21"),
        ("[trust]\nallowed_sources = [\"0.0.0.0/0\"]\n", "trust.allowed_sources[0]", "/0"),
        ("[trust]\nallowed_sources = []\n", "trust.allowed_sources", "every request would be refused"),
        ("[trust]\nclient_ip_header = \"x-forwarded-for\"\n", "trust.client_ip_header", "trusted_proxies is empty"),
        ("[trust]\nclient_ip_header = \"x-real-ip\"\ntrusted_proxies = [\"127.0.0.1/32\"]\n", "trust.client_ip_header", "must be one of"),
        ("[http]\nlisten = \"localhost:8080\"\n", "c.toml:2: http.listen", "numeric address"),
        ("[http]\nmax_body_bytes = 10\n", "http.max_body_bytes", "out of range"),
        ("[http]\nmax_body_bytes = \"big\"\n", "http.max_body_bytes", "must be an integer"),
        ("[http]\npath_token = \"short\"\n", "http.path_token", "at least 16"),
        ("[http]\nlisten_port = 1\n", "c.toml:2: http.listen_port", "unknown key"),
        ("[htp]\n", "c.toml:1: htp", "unknown section"),
        ("[ingest]\nmalformed_status = 500\n", "ingest.malformed_status", "must be one of"),
        ("[ingest]\nmalformed_status = 202\n", "ingest.malformed_status", "202 included"),
        ("[log]\nlevel = \"loud\"\n", "log.level", "must be one of"),
        ("[queue]\nworkers = 0\n", "c.toml:2: queue.workers", "out of range"),
        ("[[handlers]]\nname = \"a\"\ntype = \"carrier-pigeon\"\n", "c.toml:3: handlers[0].type", "not a handler type"),
        ("[[handlers]]\nname = \"a b\"\ntype = \"log\"\n", "c.toml:2: handlers[0].name", "letters, digits"),
        ("[[handlers]]\nname = \"a\"\ntype = \"log\"\n[[handlers]]\nname = \"a\"\ntype = \"log\"\n",
         "c.toml:5: handlers[1].name", "used by an earlier handler"),
        ("[[handlers]]\nname = \"a\"\ntype = \"log\"\nlevle = \"info\"\n", "c.toml:4: handlers[0].levle", "unknown setting"),
        ("[[handlers]]\nname = \"x\"\ntype = \"exec\"\ncommand = [\"run-me\"]\n", "c.toml:4: handlers[0].command", "absolute path"),
        ("[[handlers]]\nname = \"x\"\ntype = \"http_forward\"\nsecret_file = \"/nonexistent\"\n", "handlers[0].url", "is required"),
        ("[[handlers]]\nname = \"a\"\ntype = \"log\"\n[[routes]]\nhandlers = [\"b\"]\n", "c.toml:5: routes[0].handlers[0]", "'b' is not the name"),
        ("[[handlers]]\nname = \"a\"\ntype = \"log\"\n[[routes]]\nhandlers = [\"a\"]\ntext_pattern = \"(\"\n", "c.toml:6: routes[0].text_pattern", "regular expression"),
        ("[[handlers]]\nname = \"a\"\ntype = \"log\"\n[[routes]]\nhandlers = [\"a\"]\nkinds = [\"sms\"]\n", "routes[0].kinds[0]", "not a route kind"),
        ("[[handlers]]\nname = \"a\"\ntype = \"log\"\n[[routes]]\nhandlers = [\"a\"]\nkinds = \"status\"\nkeywords = [\"HELP\"]\n", "c.toml:4: routes[0]", "keywords"),
        ("[[routes]]\nchanels = [\"SMS\"]\n", "c.toml:2: routes[0].chanels", "unknown key"),
        ("[[numbers]]\nnumber = \"+\"\nclaimed_keywords = [\"JOIN\"]\n", "c.toml:2: numbers[0].number", "no letters or digits"),
        ("[[numbers]]\nclaimed_keywords = [\"JOIN\"]\n", "numbers[0].number", "is required"),
        ("[[numbers]]\nnumber = \"1008\"\nclaimed_keywords = [\"JOIN NOW\"]\n", "c.toml:3: numbers[0].claimed_keywords[0]",
         "more than one word"),
        ("[[numbers]]\nnumber = \"1008\"\nclaimed_keywords = [\"JOIN\", \"Join\"]\n", "numbers[0].claimed_keywords[1]", "given twice"),
        ("[[numbers]]\nnumber = \"1008\"\nclaimed_keywords = \"JOIN\"\n", "numbers[0].claimed_keywords", "must be an array of strings"),
        ("[[numbers]]\nnumber = \"+31 970\"\n[[numbers]]\nnumber = \"0031970\"\n", "c.toml:4: numbers[1].number", "same number"),
        ("[[numbers]]\nnumber = \"1008\"\nkeywords = [\"JOIN\"]\n", "c.toml:3: numbers[0].keywords", "unknown key"),
    ])
    func reportsErrors(toml: String, location: String, message: String) {
        #expect {
            try ReceiverConfig.parse(toml + "\n" + Self.minimal, file: "c.toml")
        } throws: { error in
            let text = "\(error)"
            return text.contains(location) && text.contains(message) && !text.contains("\n")
        }
    }

    @Test("handlers and routes are read in order, with their settings and criteria")
    func handlersAndRoutes() throws {
        let config = try ReceiverConfig.parse(Self.minimal + """

            [[handlers]]
            name = "log"
            type = "log"
            level = "notice"
            max_attempts = 3

            [[routes]]
            name = "help"
            kinds = "mo"
            channels = ["WhatsApp", "SMS"]
            keywords = ["HELP"]
            handlers = ["log"]
            stop = true
            """, file: "c.toml")
        #expect(config.handlers.map(\.name) == ["log"])
        #expect(config.handlers[0].maxAttempts == 3)
        #expect(config.handlers[0].settings.values["level"] == .string("notice"))
        #expect(config.routes.count == 1)
        let route = config.routes[0]
        #expect(route.name == "help")
        #expect(route.kinds == [.mo])
        #expect(route.channels == ["WhatsApp", "SMS"])
        #expect(route.stop)
        let table = RouteTable(config.routes)
        #expect(table.handlers(for: RoutableItem(kind: .mo, channel: "sms", from: "+31", to: nil, text: "help!")) == ["log"])
        #expect(table.handlers(for: RoutableItem(kind: .mo, channel: "sms", from: "+31", to: nil, text: "hi")).isEmpty)
    }

    @Test("cm.product_token_file is read when only its owner may read it, and refused naming the key otherwise")
    func productTokenFile() throws {
        let path = NSTemporaryDirectory() + "cm-token-\(UUID().uuidString)"
        #expect(FileManager.default.createFile(atPath: path, contents: Data("  the-token\n".utf8)))
        defer { unlink(path) }
        chmod(path, 0o600)
        let toml = Self.minimal + "\n[cm]\nproduct_token_file = \"\(path)\"\n"
        #expect(try ReceiverConfig.parse(toml, file: "c.toml").cm.productToken == Array("the-token".utf8))
        chmod(path, 0o640)
        #expect {
            try ReceiverConfig.parse(toml, file: "c.toml")
        } throws: { error in
            let text = "\(error)"
            return text.contains("c.toml:4: cm.product_token_file") && text.contains("chmod 600") && !text.contains("the-token")
        }
    }

    @Test("a missing database url is an error that shows an example")
    func missingDatabase() {
        #expect {
            try ReceiverConfig.parse("[http]\nlisten = \"127.0.0.1:1\"\n", file: "c.toml")
        } throws: { "\($0)".contains("database.url: is required") }
    }

    @Test("broken TOML reports the line")
    func brokenTOML() {
        #expect {
            try ReceiverConfig.parse("[http]\nlisten = \n", file: "c.toml")
        } throws: { "\($0)".hasPrefix("c.toml:2: not valid TOML") }
    }

    @Test("listen accepts IPv4 and bracketed IPv6 with a port", arguments: [
        ("127.0.0.1:8080", "127.0.0.1", UInt16(8080)), ("[::1]:9", "::1", UInt16(9)), ("0.0.0.0:0", "0.0.0.0", UInt16(0)),
    ])
    func listen(text: String, host: String, port: UInt16) throws {
        let config = try ReceiverConfig.parse("[http]\nlisten = \"\(text)\"\n\n" + Self.minimal, file: "c.toml")
        #expect(config.http.host == host)
        #expect(config.http.port == port)
    }
}
