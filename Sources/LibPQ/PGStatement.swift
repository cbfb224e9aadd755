/// One statement as a type: its name, its SQL with its parameters, and the decoding of its rows, in the manner of
/// postgres-nio's `PostgresPreparedStatement`. A value of the type holds the arguments of one execution.
///
///     struct DoubleIt: PGStatement {
///         static let name = "double_it"
///         static let sql = PGStatementSQL<Self>("SELECT $n * 2", [.init("n", "int") { $0.n }])
///         static func decodeRow(_ row: PGRow) throws(PGError) -> Int { try row.required(row.int(0), "n * 2") }
///         var n: Int
///     }
///     let doubled = try connection.execute(DoubleIt(n: 21))   // [42]
///
/// `PGConnection.execute(_:)` prepares it once per connection under `name` and decodes every row; statements that
/// answer with no rows keep `Row == Void` and run through `executeCounting(_:)`. Value types, usable from any
/// thread; executed on the thread that owns the connection.
public protocol PGStatement: SendableMetatype {
    associatedtype Row = Void
    /// The prepared statement's name, unique among the statements one connection runs.
    static var name: String { get }
    /// The SQL and its parameters, numbered as the SQL is built (``PGStatementSQL``).
    static var sql: PGStatementSQL<Self> { get }
    /// One row of the statement's answer.
    static func decodeRow(_ row: PGRow) throws(PGError) -> Row
}

extension PGStatement where Row == Void {
    public static func decodeRow(_ row: PGRow) {}
}

extension PGStatement {
    /// This execution's parameters, in `$n` order.
    public var bindings: [PGValue] { Self.sql.bindings(self) }
}

/// One parameter of a statement: the name the SQL template calls it by, the SQL type it is cast to, and how to take
/// its value from the statement. Value type.
public struct PGParameter<Statement>: Sendable {
    public let name: String
    /// The SQL type every reference is cast to (`text[]`, `bigint`), or nil to let PostgreSQL infer it.
    public let type: String?
    let value: @Sendable (Statement) -> PGValue

    public init<Value: PGBindable>(_ name: String, _ type: String? = nil,
                                   _ value: @escaping @Sendable (Statement) -> Value) {
        self.name = name
        self.type = type
        self.value = { value($0).pgValue }
    }
}

/// A statement's SQL with its parameters numbered by construction: the template names parameters (`$kinds`,
/// `$limit`), and each name becomes `$n` (with its cast) where n is the parameter's place in the ordered list, so
/// the numbers and the bindings cannot drift apart. Built once per statement type (a `static let`).
///
/// The template may use a name any number of times; it may not use a name that is not declared, leave a declared
/// parameter unused, or write a positional `$1` itself: each of these stops the process when the statement is
/// first built (a programming error, caught by the tests that build every statement).
public struct PGStatementSQL<Statement>: Sendable {
    /// The SQL as sent to PostgreSQL, with `$1…$n`.
    public let text: String
    public let parameters: [PGParameter<Statement>]

    public init(_ template: String, _ parameters: [PGParameter<Statement>]) {
        self.parameters = parameters
        switch PGStatementSQL.render(template, parameters) {
        case .success(let text): self.text = text
        case .failure(let problem): preconditionFailure("statement \(Statement.self): \(problem)")
        }
    }

    /// The parameters of one execution, in `$n` order.
    public func bindings(_ statement: Statement) -> [PGValue] {
        parameters.map { $0.value(statement) }
    }

    /// What is wrong with a template.
    public struct Problem: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// Replaces each `$name` of `template` by `$n::type`; fails on an undeclared, duplicate or unused name, or on
    /// a positional parameter.
    public static func render(_ template: String, _ parameters: [PGParameter<Statement>]) -> Result<String, Problem> {
        var numbers: [String: Int] = [:]
        for (index, parameter) in parameters.enumerated() {
            guard numbers.updateValue(index + 1, forKey: parameter.name) == nil else {
                return .failure(Problem(description: "parameter '\(parameter.name)' is declared twice"))
            }
        }
        var used = Set<String>()
        var out = ""
        out.reserveCapacity(template.utf8.count + parameters.count * 8)
        var rest = Substring(template)
        while let dollar = rest.firstIndex(of: "$") {
            out += rest[..<dollar]
            let afterDollar = rest.index(after: dollar)
            let nameEnd = rest[afterDollar...].firstIndex { !($0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_")) }
                ?? rest.endIndex
            let name = String(rest[afterDollar..<nameEnd])
            guard let first = name.first, first.isLetter || first == "_" else {
                return .failure(Problem(description: "'$\(name)': write parameters by name, never by number"))
            }
            guard let number = numbers[name] else {
                return .failure(Problem(description: "'$\(name)' is not a declared parameter"))
            }
            used.insert(name)
            out += "$\(number)"
            if let type = parameters[number - 1].type { out += "::\(type)" }
            rest = rest[nameEnd...]
        }
        out += rest
        if let unused = parameters.first(where: { !used.contains($0.name) }) {
            return .failure(Problem(description: "parameter '\(unused.name)' is declared but not used"))
        }
        return .success(out)
    }
}
