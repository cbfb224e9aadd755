import MOPolicy

/// What handlers may need from the daemon besides their own settings. Value type.
public struct HandlerEnvironment: Sendable {
    /// Phone numbers in logs: shortened unless `log.pii` is on.
    public var redactor: Redactor
    /// CM's send API, when a product token is configured (auto_reply needs it).
    public var cm: CMSender?
    /// Keywords claimed on shared numbers (`[[numbers]]`): auto_reply compares the text after them.
    public var keywordClaims: KeywordClaims

    public init(redactor: Redactor, cm: CMSender? = nil, keywordClaims: KeywordClaims = KeywordClaims()) {
        self.redactor = redactor
        self.cm = cm
        self.keywordClaims = keywordClaims
    }
}

/// The handler types the config may name (`type = "…"` in `[[handlers]]`), each with the function that validates
/// its settings and builds it. Value type; built once at start (and in tests, extended with test handlers).
public struct HandlerRegistry: Sendable {
    public typealias Factory = @Sendable (HandlerSpec, HandlerEnvironment) throws(HandlerSettings.Problem) -> any EventHandler

    private var factories: [String: Factory] = [:]

    public init() {}

    /// The types that ship with the daemon.
    public static let builtIn: HandlerRegistry = {
        var registry = HandlerRegistry()
        registry.register("log", LogEventHandler.make)
        registry.register("http_forward", HTTPForwardHandler.make)
        registry.register("exec", ExecHandler.make)
        registry.register("auto_reply", AutoReplyHandler.make)
        return registry
    }()

    public mutating func register(_ type: String, _ factory: @escaping Factory) {
        factories[type] = factory
    }

    public var types: [String] { factories.keys.sorted() }

    /// Validates `spec` and builds its handler.
    public func make(_ spec: HandlerSpec, environment: HandlerEnvironment) throws(HandlerSettings.Problem) -> any EventHandler {
        guard let factory = factories[spec.type] else {
            throw HandlerSettings.Problem("type", "'\(spec.type)' is not a handler type; the types are \(types.joined(separator: ", "))")
        }
        return try factory(spec, environment)
    }
}
