import Foundation
import LibPQ
import MOStore
import Synchronization

/// Databases for tests on one shared private cluster per test process: each test gets a fresh database cloned from
/// a template that has every migration applied. The cluster is stopped when the process exits.
public enum TestDatabase {
    private struct Shared: @unchecked Sendable {
        let cluster: PostgresCluster
        var counter = 0
    }

    private static let shared = Mutex<Shared?>(nil)

    /// The shared cluster, started on first use.
    public static func cluster() throws -> PostgresCluster {
        try shared.withLock { state in
            if let state { return state.cluster }
            let cluster = try PostgresCluster()
            try cluster.start()
            let admin = try PGConnection(parameters: [("dbname", cluster.url())])
            try admin.execute(script: "CREATE DATABASE mo_template")
            let template = try PGConnection(parameters: [("dbname", cluster.url(database: "mo_template"))])
            try Migrator().migrate(on: template)
            state = Shared(cluster: cluster)
            atexit { TestDatabase.stopShared() }
            return cluster
        }
    }

    /// A new, migrated database; returns its URL.
    public static func make() throws -> String {
        let cluster = try cluster()
        let name = shared.withLock { state -> String in
            state!.counter += 1
            return "t\(getpid())_\(state!.counter)"
        }
        let admin = try PGConnection(parameters: [("dbname", cluster.url())])
        try admin.execute(script: "CREATE DATABASE \(name) TEMPLATE mo_template")
        return cluster.url(database: name)
    }

    /// A fresh, empty (unmigrated) database; returns its URL.
    public static func makeEmpty() throws -> String {
        let cluster = try cluster()
        let name = shared.withLock { state -> String in
            state!.counter += 1
            return "e\(getpid())_\(state!.counter)"
        }
        let admin = try PGConnection(parameters: [("dbname", cluster.url())])
        try admin.execute(script: "CREATE DATABASE \(name)")
        return cluster.url(database: name)
    }

    static func stopShared() {
        let cluster = shared.withLock { state -> PostgresCluster? in
            defer { state = nil }
            return state?.cluster
        }
        try? cluster?.stop(mode: "immediate")
    }
}
