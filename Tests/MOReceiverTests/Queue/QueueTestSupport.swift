import Foundation
import LibPQ
import MOPolicy
import MOReceiver
import MOStore
import Synchronization

/// A handler for tests: counts every call per item and answers from a script of outcomes per item.
final class RecordingHandler: EventHandler {
    struct Call: Sendable {
        let kind: String
        let id: Int64
        let attempt: Int
        let json: String
        let at: ContinuousClock.Instant
    }

    private let state = Mutex<[Call]>([])
    /// Outcome for the nth call (0-based) of an item; `.completed` past the end.
    let script: @Sendable (Int) -> JobResult
    let delay: Duration

    init(delay: Duration = .zero, script: @escaping @Sendable (Int) -> JobResult = { _ in .completed }) {
        self.script = script
        self.delay = delay
    }

    func handle(_ event: EventDocument, context: HandlerContext) -> JobResult {
        let previous = state.withLock { calls -> Int in
            let count = calls.filter { $0.kind == event.kind.rawValue && $0.id == event.id }.count
            calls.append(Call(kind: event.kind.rawValue, id: event.id, attempt: context.attempt, json: event.json,
                              at: .now))
            return count
        }
        if delay > .zero { Thread.sleep(forTimeInterval: Double(delay / .milliseconds(1)) / 1000) }
        return script(previous)
    }

    var calls: [Call] { state.withLock { $0 } }

    /// A registry with the built-in types plus this handler as type "recording".
    func registry() -> HandlerRegistry {
        var registry = HandlerRegistry.builtIn
        registry.register("recording") { _, _ in self }
        return registry
    }
}

extension ReceiverConfig {
    /// Routes every item of every kind to the handlers named.
    mutating func routeEverything(to names: [String], queueWorkers: Int = 2) {
        routes = [try! Route(name: "everything", handlers: names)]
        queue.workers = queueWorkers
    }
}

extension ReceiverHarness {
    func jobStates(kind: String) throws -> [String: Int] {
        let result = try query("SELECT state::text, count(*) FROM jobs WHERE kind = \(kind) GROUP BY 1")
        var states: [String: Int] = [:]
        for row in 0..<result.rowCount { states[result.string(row, 0) ?? ""] = result.int(row, 1) }
        return states
    }
}

func smsBody(_ index: Int) -> [UInt8] {
    Array(#"{"from":{"number":"+3161234\#(String(format: "%04d", index))"},"to":{"number":"3669"},"message":{"text":"HELP me \#(index)"},"channel":"SMS"}"#.utf8)
}
