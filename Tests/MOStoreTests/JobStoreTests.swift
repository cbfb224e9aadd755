import LibPQ
import MOStore
import MOTestSupport
import Testing

@Suite("The job store")
struct JobStoreTests {
    @Test("finished jobs are deleted after their retention; discarded ones are kept longer")
    func cleaner() throws {
        let url = try TestDatabase.make()
        let connection = try LibPQConnect.open(url)
        try connection.execute(script: """
            INSERT INTO jobs (kind, state, finalized_at, unique_key) VALUES
                ('dispatch', 'completed', now() - interval '2 days', 'old-done'),
                ('dispatch', 'completed', now() - interval '1 minute', 'new-done'),
                ('dispatch', 'discarded', now() - interval '2 days', 'old-dead');
            """)
        let deleted = try JobStore(connection: connection).clean(finishedAge: .seconds(86_400),
                                                                 discardedAge: .seconds(30 * 86_400))
        #expect(deleted == 1)
        let left = try connection.execute("SELECT unique_key FROM jobs ORDER BY unique_key")
        #expect((0..<left.rowCount).map { left.string($0, 0) } == ["new-done", "old-dead"])
    }

    @Test("claims skip locked rows, so two claimers never get the same job; results are fenced by holder")
    func claimAndFence() throws {
        let url = try TestDatabase.make()
        let a = JobStore(connection: try LibPQConnect.open(url))
        let b = JobStore(connection: try LibPQConnect.open(url))
        let jobs = (0..<10).map { JobStore.NewDispatch(DispatchArgs(item: .mo, id: Int64($0), handler: "h"), maxAttempts: 20) }
        #expect(try a.enqueue(jobs) == 10)
        #expect(try a.enqueue(jobs) == 0, "unique keys: enqueueing again adds nothing")
        try a.connection.execute(script: "BEGIN")
        let first = try a.claim(kinds: [.dispatch], limit: 6, holder: "a", lease: .seconds(30))
        let second = try b.claim(kinds: [.dispatch], limit: 6, holder: "b", lease: .seconds(30))
        try a.connection.execute(script: "COMMIT")
        #expect(first.count == 6)
        #expect(second.count == 4)
        #expect(Set(first.map(\.id)).isDisjoint(with: second.map(\.id)))
        #expect(first.first?.dispatch?.handler == "h", "the arguments decode for the job's kind")
        // b cannot finish a's job; a can.
        #expect(try b.finish(first[0], holder: "b", result: .completed, backoff: Backoff(), jitter: 0.5) == nil)
        #expect(try a.finish(first[0], holder: "a", result: .completed, backoff: Backoff(), jitter: 0.5) == .completed)
        #expect(try a.finish(first[1], holder: "a", result: .retry(reason: "x", delay: nil), backoff: Backoff(), jitter: 0.5) == .retryable)
        let scheduled = try a.connection.execute("SELECT scheduled_at > now() FROM jobs WHERE id = \(first[1].id)")
        #expect(scheduled.bool(0, 0) == true, "a retry waits for its backoff")
        #expect(try a.finish(first[2], holder: "a", result: .snooze(.seconds(5)), backoff: Backoff(), jitter: 0.5) == .available)
        let snoozed = try a.connection.execute("SELECT attempt FROM jobs WHERE id = \(first[2].id)")
        #expect(snoozed.int(0, 0) == 0, "a snooze is not an attempt")
    }
}
