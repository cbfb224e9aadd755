import TextBytes

extension JSONWriter {
    /// Writes the elements of one JSON array, in the order called.
    ///
    /// Lent to the closure of ``JSONWriter/array(_:)`` (or of a parent's `array`) for its duration only, on the
    /// caller's thread; it cannot be copied, so nothing written through it can be lost in a copy.
    public struct ArrayWriter: ~Copyable {
        var bytes: [UInt8]
        private var isEmpty = true

        private init(bytes: [UInt8]) {
            self.bytes = bytes
        }

        /// A scalar element; `nil` is `null`.
        public mutating func value<Value: ScalarConvertible>(_ value: Value?) {
            startElement()
            JSONWriter.append(value?.jsonScalar, to: &bytes)
        }

        /// One scalar element per value, in order.
        public mutating func values<Values: Sequence>(_ values: Values) where Values.Element: ScalarConvertible {
            for value in values {
                self.value(value)
            }
        }

        /// A `null` element.
        public mutating func null() {
            startElement()
            JSONWriter.append(nil, to: &bytes)
        }

        /// An element that is `text` byte for byte. The caller vouches that `text` is one valid JSON value; nothing
        /// checks it.
        public mutating func unsafeRawJSON(_ text: String) {
            startElement()
            bytes.append(contentsOf: text.utf8)
        }

        /// An object element; `body` writes its members.
        public mutating func object<Failure: Error>(
            _ body: (inout ObjectWriter) throws(Failure) -> Void
        ) throws(Failure) {
            startElement()
            try ObjectWriter.write(into: &bytes, body)
        }

        /// An array element; `body` writes its elements.
        public mutating func array<Failure: Error>(
            _ body: (inout ArrayWriter) throws(Failure) -> Void
        ) throws(Failure) {
            startElement()
            try ArrayWriter.write(into: &bytes, body)
        }

        /// A comma unless this is the first element.
        private mutating func startElement() {
            if isEmpty {
                isEmpty = false
            } else {
                bytes.append(ASCII.comma)
            }
        }

        /// `[`, the elements `body` writes, `]`, appended to `bytes`. The buffer moves into the child writer and
        /// back, so nothing is copied.
        static func write<Failure: Error>(
            into bytes: inout [UInt8], _ body: (inout ArrayWriter) throws(Failure) -> Void
        ) throws(Failure) {
            var writer = ArrayWriter(bytes: [])
            swap(&writer.bytes, &bytes)
            defer { swap(&writer.bytes, &bytes) }
            writer.bytes.append(ASCII.openBracket)
            try body(&writer)
            writer.bytes.append(ASCII.closeBracket)
        }
    }
}
