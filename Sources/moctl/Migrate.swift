import ArgumentParser
import MOReceiver
import MOStore

struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply pending database migrations (forward-only; safe to run twice).",
        discussion: """
            The migrations are compiled into this binary (from migrations/*.sql), so no checkout is needed.
            Each runs in its own transaction; version and checksum are recorded in schema_migrations.
            Refuses to run when an applied migration was changed afterwards, or when the database has a migration
            this binary does not know.

            Examples:
              moctl migrate --config /etc/mo-receiver/config.toml --dry-run
              moctl migrate --config /etc/mo-receiver/config.toml

            Every other subcommand refuses to run (exit 3) until the database is current.

            Then it turns any `route` jobs an earlier version left into dispatch jobs, with the routes of this
            config (the database cannot route by itself), and says how many it converted.
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Show what would be applied, change nothing.")
    var dryRun = false

    @Flag(name: .long, help: "Print the result as one JSON object: the migrations applied (or pending, with --dry-run).")
    var json = false

    func run() throws {
        let (config, connection) = try Tool.load(global.config, requireCurrentSchema: false)
        do {
            let applied = try Migrator().migrate(on: connection, dryRun: dryRun) { migration in
                if !json { print("applying \(migration.name)") }
            }
            let converted = dryRun ? LegacyRouteJobs.Conversion() : try LegacyRouteJobs.convert(config: config, on: connection)
            if json {
                print(Tool.jsonObject { o in
                    o.array(dryRun ? "pending" : "applied") { $0.values(applied.map(\.name)) }
                    o.field("known", Migration.embedded.count)
                    if converted.routeJobs > 0 {
                        o.field("converted_route_jobs", converted.routeJobs)
                        o.field("dispatch_jobs_created", converted.dispatchJobs)
                    }
                })
            } else if applied.isEmpty {
                print("database is up to date (\(Migration.embedded.count) migration(s))")
            } else if dryRun {
                for migration in applied { print("pending \(migration.name)") }
            } else {
                print("applied \(applied.count) migration(s)")
            }
            if !json && converted.routeJobs > 0 {
                print("converted \(converted.routeJobs) route job(s) into \(converted.dispatchJobs) dispatch job(s)")
            }
        } catch {
            Tool.fail("migrate: \(error)")
        }
    }
}
