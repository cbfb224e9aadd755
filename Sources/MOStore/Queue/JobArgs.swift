import JSON
import MOPolicy

/// The kinds of job the queue runs (the `jobs.kind` column). Prints as its stored name (`media_fetch`), so logs and
/// metric labels read as before.
public enum JobKind: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Run one handler on one stored item; ingest writes these with the item (docs/queue.md).
    case dispatch
    /// Download one media item before CM deletes it; ingest writes these with the item (docs/media.md).
    case mediaFetch = "media_fetch"

    public var description: String { rawValue }
}

/// A claimed job's arguments, decoded for its kind. Value type; lives with its ``Job``.
public enum JobArgs: Sendable, Equatable {
    case dispatch(DispatchArgs)
    case mediaFetch(MediaFetchArgs)

    /// Reads the `args` object of a claimed row of `kind`, or says why the job cannot run (the worker discards it
    /// with that reason).
    static func decode(kind: JobKind, json: String) -> Result<JobArgs, JobArgsError> {
        let members = JobArgs.members(json)
        switch kind {
        case .dispatch:
            guard let item = members[DispatchArgs.Key.item].flatMap(ItemKind.init(rawValue:)),
                  let id = members[DispatchArgs.Key.id].flatMap({ Int64($0) }),
                  let handler = members[DispatchArgs.Key.handler] else {
                return .failure(JobArgsError(description: "dispatch job without item, id or handler"))
            }
            return .success(.dispatch(DispatchArgs(item: item, id: id, handler: handler)))
        case .mediaFetch:
            guard let id = members[MediaFetchArgs.Key.mediaID].flatMap({ Int64($0) }) else {
                return .failure(JobArgsError(description: "media_fetch job without media_id"))
            }
            return .success(.mediaFetch(MediaFetchArgs(mediaID: id)))
        }
    }

    /// The scalar members of a flat JSON object, each as text (strings as they are, numbers as written).
    private static func members(_ text: String) -> [String: String] {
        guard let document = try? JSONParser.parse(Array(text.utf8)),
              case .object(let members, _) = document.root else { return [:] }
        var values: [String: String] = [:]
        for (key, value) in members {
            switch value {
            case .string(let text, _): values[key] = text
            case .number(let literal, _): values[key] = literal
            default: break
            }
        }
        return values
    }
}

/// Why a claimed job's arguments do not make a job of its kind: the reason it is discarded with.
public struct JobArgsError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
}

/// The arguments of a `dispatch` job: the item and the handler to run on it.
public struct DispatchArgs: Sendable, Hashable {
    public var item: ItemKind
    /// The row id in `inbound_messages`, `status_reports` or `events`.
    public var id: Int64
    /// A configured handler's name (restricted to [A-Za-z0-9_.-] by the config).
    public var handler: String

    public init(item: ItemKind, id: Int64, handler: String) {
        self.item = item
        self.id = id
        self.handler = handler
    }

    /// The names of the members of `args`.
    enum Key {
        static let item = "item", id = "id", handler = "handler"
    }

    /// The one definition of a dispatch job's row, as SQL over expressions for its item kind, item id, handler and
    /// max attempts. Its unique key (`dispatch:{kind}:{id}:{handler}`) means a CM retry or a replay never doubles
    /// it. The ingest statement and every Swift enqueue of a dispatch job write their rows with this.
    static func jobRow(item: String, id: String, handler: String, maxAttempts: String) -> JobRowSQL {
        JobRowSQL(columns: "kind, args, unique_key, priority, max_attempts", values: """
            '\(JobKind.dispatch.rawValue)', \
            jsonb_build_object('\(Key.item)', \(item), '\(Key.id)', \(id), '\(Key.handler)', \(handler)), \
            '\(JobKind.dispatch.rawValue):' || \(item) || ':' || \(id) || ':' || \(handler), 2, \(maxAttempts)
            """)
    }
}

/// The arguments of a `media_fetch` job: the media item to download.
public struct MediaFetchArgs: Sendable, Hashable {
    /// The row id in `media_items`.
    public var mediaID: Int64

    public init(mediaID: Int64) {
        self.mediaID = mediaID
    }

    enum Key {
        static let mediaID = "media_id"
    }

    /// The one definition of a media download job's row, as SQL over expressions for the media item's id and the
    /// deadline (CM deletes the file then): taken earliest deadline first, retried until the deadline.
    static func jobRow(mediaID: String, deadline: String) -> JobRowSQL {
        JobRowSQL(columns: "kind, args, unique_key, priority, max_attempts, deadline", values: """
            '\(JobKind.mediaFetch.rawValue)', jsonb_build_object('\(Key.mediaID)', \(mediaID)), \
            'media:' || \(mediaID), 1, 10000, \(deadline)
            """)
    }
}

/// A job kind's row as SQL: the `jobs` columns and the select list that fills them. Fixed text built from code,
/// never from input; spliced into statements as `INSERT INTO jobs (columns) SELECT values FROM …`.
struct JobRowSQL: Sendable {
    let columns: String
    let values: String

    /// `INSERT INTO jobs (…) SELECT …`, for the caller to follow with its FROM clause.
    var insert: String { "INSERT INTO jobs (\(columns))\nSELECT \(values)" }
}
