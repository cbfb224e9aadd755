import LibPQ
@testable import MOStore
import Testing

/// Every statement type of MOStore, for the checks below. A new statement type belongs here.
let everyStatement: [any PGStatement.Type] = [
    IngestBatchStatement.self,
    JobStatements.Claim.self, JobStatements.ClaimByDeadline.self, JobStatements.Complete.self,
    JobStatements.Delete.self, JobStatements.CompleteMany.self, JobStatements.DeleteMany.self,
    JobStatements.Fail.self, JobStatements.Snooze.self, JobStatements.Heartbeat.self, JobStatements.Rescue.self,
    JobStatements.Clean.self, JobStatements.EnqueueDispatches.self, JobStatements.ReplayDispatches.self,
    LegacyRouteJobs.Take.self, LegacyRouteJobs.Convert.self,
    EventDocuments.ItemsOfRequests.self, EventDocuments.MODocuments.self, EventDocuments.StatusDocuments.self,
    EventDocuments.EventRowDocuments.self,
]

/// The `$n` numbers a statement's SQL refers to.
private func parameterNumbers(_ sql: String) -> [Int] {
    var numbers: [Int] = []
    var rest = Substring(sql)
    while let dollar = rest.firstIndex(of: "$") {
        let digits = rest[rest.index(after: dollar)...].prefix { $0.isASCII && $0.isNumber }
        numbers.append(Int(digits) ?? -1)
        rest = rest[digits.endIndex...]
    }
    return numbers
}

private func check<S: PGStatement>(_: S.Type) {
    let numbers = Set(parameterNumbers(S.sql.text))
    let count = S.sql.parameters.count
    #expect(numbers == (count == 0 ? [] : Set(1...count)),
            "\(S.self): every $n from 1 to the number of parameters (one binding each), and nothing else")
    #expect(!numbers.contains(-1), "\(S.self): no $ that is not a numbered parameter")
}

@Suite("Every statement's parameters are numbered by construction")
struct StatementNumberingTests {
    @Test("each $n in the SQL has exactly one binding, and the count matches, for every statement type")
    func numbering() {
        for statement in everyStatement { check(statement) }
    }

    @Test("statement names are distinct (they are prepared side by side on one connection)")
    func distinctNames() {
        let names = everyStatement.map { $0.name }
        #expect(Set(names).count == names.count)
    }

    @Test("the ingest batch binds one value per parameter, in order, for a sample batch")
    func ingestBindings() {
        let statement = IngestBatchStatement(IngestBatch([]), mediaJobs: true)
        #expect(statement.bindings.count == IngestBatchStatement.sql.parameters.count)
        #expect(IngestBatchStatement.sql.parameters.count == 66, "the 66 columns of the batch, none lost")
        #expect(statement.bindings.last == .text("t"), "mediaJobs, declared last")
    }
}
