/// The bytes of the ASCII text `text`.
func ascii(_ text: String) -> [UInt8] {
    Array(text.utf8)
}
