import LibPQ
import MOTestSupport
import Testing

/// A statement type as the tests use it: `$n` twice, a nullable text, rows decoded to (n, label).
private struct Echo: PGStatement {
    static let name = "pg_statement_test_echo"
    static let sql = PGStatementSQL<Self>(
        "SELECT $n * 2, coalesce($label, 'none') FROM generate_series(1, $n)",
        [.init("n", "int") { $0.n }, .init("label", "text") { $0.label }])
    static func decodeRow(_ row: PGRow) throws(PGError) -> (doubled: Int, label: String) {
        (try row.required(row.int(0), "doubled"), try row.required(row.string(1), "label"))
    }
    var n: Int
    var label: String?
}

/// A command: answers with a count of rows touched.
private struct Touch: PGStatement {
    static let name = "pg_statement_test_touch"
    static let sql = PGStatementSQL<Self>("UPDATE t SET n = n + 1 WHERE n >= $from", [.init("from") { $0.from }])
    var from: Int
}

private struct Rows {
    var ids: [Int]
    var names: [String?]
}

@Suite("Statement types: SQL, parameters numbered by construction, decoded rows")
struct PGStatementTests {
    private func render(_ template: String, _ names: [String]) -> Result<String, PGStatementSQL<Rows>.Problem> {
        PGStatementSQL<Rows>.render(template, names.map { name in PGParameter(name, "int") { _ in 0 } })
    }

    @Test("names become $n in declaration order, each reference cast, a name used twice keeps its number")
    func numbersByDeclaration() throws {
        #expect(try render("SELECT $b, $a, $b", ["a", "b"]).get() == "SELECT $2::int, $1::int, $2::int")
        let untyped = PGStatementSQL<Rows>.render("x = $x", [PGParameter("x") { _ in 1 }])
        #expect(try untyped.get() == "x = $1")
        #expect(try render("$a_b $a", ["a", "a_b"]).get() == "$2::int $1::int", "the whole identifier is the name")
    }

    @Test("undeclared, unused, duplicate and positional parameters are refused")
    func refusesDrift() {
        #expect(throws: PGStatementSQL<Rows>.Problem.self) { try render("SELECT $a, $c", ["a"]).get() }
        #expect(throws: PGStatementSQL<Rows>.Problem.self) { try render("SELECT $a", ["a", "b"]).get() }
        #expect(throws: PGStatementSQL<Rows>.Problem.self) { try render("SELECT $a", ["a", "a"]).get() }
        #expect(throws: PGStatementSQL<Rows>.Problem.self) { try render("SELECT $1, $a", ["a"]).get() }
    }

    @Test("an unnested table names its arrays and its columns from one list")
    func unnestTable() throws {
        let table = PGUnnest<Rows>("r", withOrdinality: "ordinal", [
            .init("id", "int") { PGTextArray($0.ids.map { String($0) }) },
            .init("name", "text") { PGTextArray($0.names) },
        ])
        #expect(table.table == "unnest($r_id, $r_name) WITH ORDINALITY AS r(id, name, ordinal)")
        let sql = PGStatementSQL<Rows>("SELECT * FROM \(table.table)", table.parameters)
        #expect(sql.text == "SELECT * FROM unnest($1::int[], $2::text[]) WITH ORDINALITY AS r(id, name, ordinal)")
        #expect(sql.bindings(Rows(ids: [1, 2], names: ["a", nil])) == [.text(#"{"1","2"}"#), .text(#"{"a",NULL}"#)])
    }

    @Test("execute decodes every row, executeCounting answers rows touched; prepared once, run many times",
          arguments: [nil, Duration.seconds(5)])
    func executes(limit: Duration?) throws {
        let connection = try PGConnection(parameters: [("dbname", try TestDatabase.make())])
        connection.roundTripLimit = limit
        let rows = try connection.execute(Echo(n: 3, label: nil))
        #expect(rows.map(\.doubled) == [6, 6, 6] && rows.allSatisfy { $0.label == "none" })
        #expect(try connection.execute(Echo(n: 1, label: "x")).map(\.label) == ["x"])
        try connection.execute(script: "CREATE TEMP TABLE t (n int); INSERT INTO t VALUES (1), (2), (3)")
        #expect(try connection.executeCounting(Touch(from: 2)) == 2)
        #expect(try connection.executeCounting(Touch(from: 100)) == 0)
    }

    @Test("a row that does not decode is a protocol violation, and the connection stays usable")
    func undecodableRow() throws {
        let connection = try PGConnection(parameters: [("dbname", try TestDatabase.make())])
        connection.roundTripLimit = .seconds(5)
        do {
            _ = try connection.execute(Echo(n: 0, label: nil))
            _ = try connection.execute(Undecodable())
            Issue.record("a NULL in a required column decoded")
        } catch {
            #expect(error.kind == .protocolViolation)
        }
        #expect(connection.isHealthy)
        #expect(try connection.execute(Echo(n: 1, label: nil)).count == 1)
    }
}

private struct Undecodable: PGStatement {
    static let name = "pg_statement_test_undecodable"
    static let sql = PGStatementSQL<Self>("SELECT NULL::int", [])
    static func decodeRow(_ row: PGRow) throws(PGError) -> Int { try row.required(row.int(0), "n") }
}
