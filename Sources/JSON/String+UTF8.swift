extension String {
    /// Whether the two strings hold the same UTF-8 bytes: exact scalars, as JSON compares member names, not
    /// Swift's canonical equivalence. Lengths first, then the bytes in place.
    func hasSameUTF8(as other: String) -> Bool {
        guard utf8.count == other.utf8.count else { return false }
        let contiguous = utf8.withContiguousStorageIfAvailable { mine in
            other.utf8.withContiguousStorageIfAvailable { theirs in mine.elementsEqual(theirs) }
        }
        return (contiguous ?? nil) ?? utf8.elementsEqual(other.utf8)
    }
}
