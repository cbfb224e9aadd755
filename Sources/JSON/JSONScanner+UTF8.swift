import TextBytes

extension JSONScanner {
    /// The length of the well-formed UTF-8 sequence starting at `offset`, or `nil` when it is ill-formed.
    func utf8SequenceLength(at offset: Int) -> Int? {
        UTF8Scalar.decode(bytes, at: offset)?.length
    }
}
