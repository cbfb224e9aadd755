@testable import MOStore
import Testing

@Suite("Job arguments decode for their kind, or say why the job is discarded")
struct JobArgsTests {
    @Test("a dispatch job's item, id and handler")
    func dispatch() {
        #expect(JobArgs.decode(kind: .dispatch, json: #"{"id": 42, "item": "status", "handler": "crm"}"#)
            == .success(.dispatch(DispatchArgs(item: .status, id: 42, handler: "crm"))))
    }

    @Test("a media download's media item")
    func mediaFetch() {
        #expect(JobArgs.decode(kind: .mediaFetch, json: #"{"media_id": 7}"#) == .success(.mediaFetch(MediaFetchArgs(mediaID: 7))))
    }

    @Test("arguments that do not make a job of the kind are a discard reason", arguments: [
        (JobKind.dispatch, #"{"item": "mo", "id": 1}"#, "dispatch job without item, id or handler"),
        (JobKind.dispatch, #"{"item": "sms", "id": 1, "handler": "h"}"#, "dispatch job without item, id or handler"),
        (JobKind.dispatch, "not json", "dispatch job without item, id or handler"),
        (JobKind.mediaFetch, #"{"media_id": "x"}"#, "media_fetch job without media_id"),
    ])
    func refused(kind: JobKind, json: String, reason: String) {
        #expect(JobArgs.decode(kind: kind, json: json) == .failure(JobArgsError(description: reason)))
    }

    @Test("kinds print as they are stored (logs and metric labels)")
    func kindNames() {
        #expect("\(JobKind.mediaFetch)" == "media_fetch" && "\(JobKind.dispatch)" == "dispatch")
    }
}
