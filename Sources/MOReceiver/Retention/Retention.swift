import Digest
import LibPQ
import MOStore
import MOMedia

/// One purge as the daemon and `moctl purge` run it: the store's purger with the config's ages, media files
/// removed from media.directory. Runs on the caller's thread with its connection.
public enum Retention {
    public static func purge(config: ReceiverConfig, ages: RetentionPurger.Ages, on connection: PGConnection,
                             progress: (RetentionPurger.Part, Int) -> Void = { _, _ in },
                             shouldStop: () -> Bool = { false }) throws(RetentionPurger.PurgeError) -> RetentionPurger.Report {
        var store: FileMediaStore?
        let directory = config.media.directory
        return try RetentionPurger(connection: connection, batchSize: config.retention.batchSize).purge(
            ages, progress: progress,
            removeFile: { path in
                // The path comes from the database; ContentAddress refuses anything that is not one of ours.
                guard let address = try? ContentAddress(relativePath: path) else { return false }
                if store == nil { store = try? FileMediaStore(root: directory, digest: { SHA256() }) }
                return (try? store?.remove(address)) == true
            },
            shouldStop: shouldStop)
    }
}
