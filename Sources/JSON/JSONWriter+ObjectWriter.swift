import TextBytes

extension JSONWriter {
    /// Writes the members of one JSON object, in the order called.
    ///
    /// Lent to the closure of ``JSONWriter/object(_:)`` (or of a parent's `object`) for its duration only, on the
    /// caller's thread; it cannot be copied, so nothing written through it can be lost in a copy.
    public struct ObjectWriter: ~Copyable {
        var bytes: [UInt8]
        private var isEmpty = true

        private init(bytes: [UInt8]) {
            self.bytes = bytes
        }

        /// A member with a scalar value. `nil` is written as `null`, or left out with `ifNil: .omit`.
        public mutating func field<Value: ScalarConvertible>(
            _ key: String, _ value: Value?, ifNil: NilPolicy = .null
        ) {
            if value == nil && ifNil == .omit { return }
            startMember(key)
            JSONWriter.append(value?.jsonScalar, to: &bytes)
        }

        /// A member whose value is `null`.
        public mutating func nullField(_ key: String) {
            startMember(key)
            JSONWriter.append(nil, to: &bytes)
        }

        /// A member whose value is `text` byte for byte, e.g. CM's `custom` object kept as its original JSON text.
        /// The caller vouches that `text` is one valid JSON value; nothing checks it. `nil` is written as `null`,
        /// or left out with `ifNil: .omit`.
        public mutating func field(_ key: String, unsafeRawJSON text: String?, ifNil: NilPolicy = .null) {
            if text == nil && ifNil == .omit { return }
            startMember(key)
            if let text {
                bytes.append(contentsOf: text.utf8)
            } else {
                JSONWriter.append(nil, to: &bytes)
            }
        }

        /// A member whose value is an object; `body` writes its members.
        public mutating func object<Failure: Error>(
            _ key: String, _ body: (inout ObjectWriter) throws(Failure) -> Void
        ) throws(Failure) {
            startMember(key)
            try ObjectWriter.write(into: &bytes, body)
        }

        /// A member whose value is an array; `body` writes its elements.
        public mutating func array<Failure: Error>(
            _ key: String, _ body: (inout ArrayWriter) throws(Failure) -> Void
        ) throws(Failure) {
            startMember(key)
            try ArrayWriter.write(into: &bytes, body)
        }

        /// A comma unless this is the first member, then the key and colon.
        private mutating func startMember(_ key: String) {
            if isEmpty {
                isEmpty = false
            } else {
                bytes.append(ASCII.comma)
            }
            JSONWriter.appendKey(key, to: &bytes)
        }

        /// `{`, the members `body` writes, `}`, appended to `bytes`. The buffer moves into the child writer and back,
        /// so nothing is copied.
        static func write<Failure: Error>(
            into bytes: inout [UInt8], _ body: (inout ObjectWriter) throws(Failure) -> Void
        ) throws(Failure) {
            var writer = ObjectWriter(bytes: [])
            swap(&writer.bytes, &bytes)
            defer { swap(&writer.bytes, &bytes) }
            writer.bytes.append(ASCII.openBrace)
            try body(&writer)
            writer.bytes.append(ASCII.closeBrace)
        }
    }
}
