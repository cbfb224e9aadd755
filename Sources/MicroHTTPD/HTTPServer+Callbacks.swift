import CMicroHTTPD
import Glibc

// libmicrohttpd's C callbacks. Each trampoline recovers the server (or request) from its context pointer and
// forwards; the work happens in the HTTPServer extension below. Context ownership:
// - the server pointer is retained in HTTPServer.start() and released in HTTPServer.stop();
// - a request's RequestContext is retained in uriLogCallback and released in requestCompletedCallback.

let uriLogCallback: @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?, OpaquePointer?)
    -> UnsafeMutableRawPointer? = { cls, uri, _ in
        Unmanaged<HTTPServer>.fromOpaque(cls!).takeUnretainedValue().beginRequest(uri: uri)
    }

let requestCompletedCallback: @convention(c) (UnsafeMutableRawPointer?, OpaquePointer?,
                                              UnsafeMutablePointer<UnsafeMutableRawPointer?>?,
                                              MHD_RequestTerminationCode) -> Void = { cls, _, contextSlot, _ in
    Unmanaged<HTTPServer>.fromOpaque(cls!).takeUnretainedValue().endRequest(contextSlot)
}

let accessHandlerCallback: MHD_AccessHandlerCallback = { cls, connection, _, method, version, uploadData, uploadSize, contextSlot in
    Unmanaged<HTTPServer>.fromOpaque(cls!).takeUnretainedValue()
        .access(connection!, method: method, version: version, upload: uploadData, uploadSize: uploadSize!,
                contextSlot: contextSlot!)
}

let errorLogSink: mo_mhd_log_sink = { cls, line in
    guard let line else { return }
    Unmanaged<HTTPServer>.fromOpaque(cls!).takeUnretainedValue().logLibraryError(String(cString: line))
}

private let headerIterator: MHD_KeyValueIterator = { cls, _, key, value in
    let box = Unmanaged<HeaderBox>.fromOpaque(cls!).takeUnretainedValue()
    box.headers.append((name: key.map { String(cString: $0) } ?? "", value: value.map { String(cString: $0) } ?? ""))
    return MHD_Result.YES
}

/// Collects header lines while `MHD_get_connection_values` iterates; lives only for that call.
private final class HeaderBox {
    var headers: [(name: String, value: String)] = []
}

extension HTTPServer {
    // Each entry point opens the handler (`any HTTPHandler`) into a generic call, so the request's context is typed
    // with the handler's `Accepted` and the head's value is kept inline in it: no box, no cast.

    func beginRequest(uri: UnsafePointer<CChar>?) -> UnsafeMutableRawPointer? {
        liveRequests.wrappingAdd(1, ordering: .relaxed)
        return beginRequest(handler, uri: uri.map { String(cString: $0) } ?? "/")
    }

    private func beginRequest<Handler: HTTPHandler>(_ handler: Handler, uri: String) -> UnsafeMutableRawPointer {
        let context = RequestContext<Handler.Accepted>(uri: uri)
        // passRetained: libmicrohttpd keeps it as the request's con_cls; released in endRequest.
        return Unmanaged.passRetained(context).toOpaque()
    }

    func endRequest(_ slot: UnsafeMutablePointer<UnsafeMutableRawPointer?>?) {
        guard let slot, let raw = slot.pointee else { return }
        slot.pointee = nil
        endRequest(handler, raw)
        liveRequests.wrappingSubtract(1, ordering: .relaxed)
    }

    private func endRequest<Handler: HTTPHandler>(_ handler: Handler, _ raw: UnsafeMutableRawPointer) {
        // Balances the passRetained in beginRequest.
        let context = Unmanaged<RequestContext<Handler.Accepted>>.fromOpaque(raw).takeRetainedValue()
        if case .discardAnswer = context.machine.requestCompleted() {
            _ = suspended.withLock { $0.removeValue(forKey: ObjectIdentifier(context)) }
            // Answered, but the client left before the answer was queued: the deferred work (metrics, logs) still
            // runs once.
            _ = context.takeResponse()
        }
    }

    func logLibraryError(_ line: String) {
        let trimmed = line.trimmingTrailingNewlines()
        if !trimmed.isEmpty { errorLog(trimmed) }
    }

    func access(_ connection: OpaquePointer, method: UnsafePointer<CChar>?, version: UnsafePointer<CChar>?,
                upload: UnsafePointer<CChar>?, uploadSize: UnsafeMutablePointer<Int>,
                contextSlot: UnsafeMutablePointer<UnsafeMutableRawPointer?>) -> MHD_Result {
        guard let raw = contextSlot.pointee else { return MHD_Result.NO }
        return access(handler, raw, connection, method: method, version: version, upload: upload,
                      uploadSize: uploadSize)
    }

    /// One call of libmicrohttpd's access handler: feed it to the request's state machine, then do what it says.
    private func access<Handler: HTTPHandler>(_ handler: Handler, _ raw: UnsafeMutableRawPointer,
                                              _ connection: OpaquePointer, method: UnsafePointer<CChar>?,
                                              version: UnsafePointer<CChar>?, upload: UnsafePointer<CChar>?,
                                              uploadSize: UnsafeMutablePointer<Int>) -> MHD_Result {
        let context = Unmanaged<RequestContext<Handler.Accepted>>.fromOpaque(raw).takeUnretainedValue()
        let action: RequestStateMachine<Handler.Accepted>.Action
        let size = uploadSize.pointee
        if context.machine.phase == .awaitingHead {
            let head = makeHead(connection, uri: context.uri, method: method, version: version)
            action = context.machine.headReceived(head, decision: handler.head(head))
        } else if size > 0 {
            uploadSize.pointee = 0
            action = context.machine.bodyReceived(UnsafeRawBufferPointer(start: upload, count: upload == nil ? 0 : size))
        } else if context.machine.isAwaitingAnswer {
            action = context.machine.resumed()
        } else {
            action = context.machine.bodyComplete()
        }

        switch action {
        case .proceed:
            return MHD_Result.YES
        case .send(let response):
            return queue(response, on: connection)
        case .sendTooLarge(let head, let accepted, let limit):
            return queue(handler.bodyTooLarge(head, accepted: accepted, limit: limit), on: connection)
        case .deliver(let head, let accepted, let body):
            // Suspend before handing the request on, so a responder on another thread can resume at any moment.
            let handle = ConnectionHandle(pointer: connection)
            suspended.withLock { $0[ObjectIdentifier(context)] = (context, handle) }
            MHD_suspend_connection(connection)
            handler.request(head, accepted: accepted, body: body,
                            responder: HTTPResponder(request: context, connection: handle, server: self))
            return MHD_Result.YES
        case .sendAnswer:
            _ = suspended.withLock { $0.removeValue(forKey: ObjectIdentifier(context)) }
            // Resumed without an answer cannot happen through HTTPResponder; refuse rather than hang.
            guard let response = context.takeResponse() else { return MHD_Result.NO }
            return queue(response, on: connection)
        case .discardAnswer, .close:
            return MHD_Result.NO
        }
    }

    private func makeHead(_ connection: OpaquePointer, uri: String, method: UnsafePointer<CChar>?,
                          version: UnsafePointer<CChar>?) -> RequestHead {
        let box = HeaderBox()
        withExtendedLifetime(box) {
            _ = MHD_get_connection_values(connection, MHD_ValueKind.HEADER_KIND, headerIterator,
                                          Unmanaged.passUnretained(box).toOpaque())
        }
        let path: String
        let query: String?
        if let mark = uri.firstIndex(of: "?") {
            path = String(uri[..<mark])
            query = String(uri[uri.index(after: mark)...])
        } else {
            path = uri
            query = nil
        }
        var contentLength: Int?
        if let declared = box.headers.first(where: { $0.name.caseInsensitiveEquals("Content-Length") })?.value {
            contentLength = parseContentLength(declared) ?? -1
        }
        return RequestHead(method: method.map { String(cString: $0) } ?? "",
                           path: path, query: query,
                           version: version.map { String(cString: $0) } ?? "",
                           headers: box.headers, peer: peerAddress(connection), contentLength: contentLength,
                           id: sequence.wrappingAdd(1, ordering: .relaxed).newValue)
    }

    private func peerAddress(_ connection: OpaquePointer) -> String {
        var storage = sockaddr_storage()
        let family = mo_mhd_peer_address(connection, &storage)
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        switch family {
        case AF_INET:
            var address = withUnsafeBytes(of: &storage) { $0.load(as: sockaddr_in.self) }
            guard inet_ntop(AF_INET, &address.sin_addr, &text, socklen_t(text.count)) != nil else { return "" }
        case AF_INET6:
            var address = withUnsafeBytes(of: &storage) { $0.load(as: sockaddr_in6.self) }
            guard inet_ntop(AF_INET6, &address.sin6_addr, &text, socklen_t(text.count)) != nil else { return "" }
        default:
            return ""
        }
        return text.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    private func queue(_ response: HTTPResponse, on connection: OpaquePointer) -> MHD_Result {
        let created = response.body.withUnsafeBytes { bytes in
            MHD_create_response_from_buffer(bytes.count, UnsafeMutableRawPointer(mutating: bytes.baseAddress),
                                            MHD_ResponseMemoryMode.RESPMEM_MUST_COPY)
        }
        guard let created else { return MHD_Result.NO }
        for header in response.headers {
            _ = MHD_add_response_header(created, header.name, header.value)
        }
        let result = MHD_queue_response(connection, UInt32(response.status), created)
        MHD_destroy_response(created)
        return result
    }
}

/// Content-Length is digits only; anything else is invalid (nil).
func parseContentLength(_ text: String) -> Int? {
    let trimmed = text.utf8.drop { $0 == 0x20 || $0 == 0x09 }
    guard !trimmed.isEmpty, trimmed.count <= 18, trimmed.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
    return trimmed.reduce(0) { $0 * 10 + Int($1 - 0x30) }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var text = self
        while let last = text.last, last == "\n" || last == "\r" { text.removeLast() }
        return text
    }
}
