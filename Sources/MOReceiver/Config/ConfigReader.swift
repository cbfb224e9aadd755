import TOMLKit

/// Reads typed values out of a parsed TOML table and phrases every problem as a `ConfigError` that names the
/// file, line and key. Used once at start-up on the caller's thread.
struct ConfigReader {
    let file: String
    private let lines: [Substring]

    init(file: String, text: String) {
        self.file = file
        self.lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    func error(_ key: String, _ message: String) -> ConfigError {
        ConfigError(file: file, line: line(of: key), key: key, message: message)
    }

    /// The line a dotted key ("trust.allowed_sources[1]", "http", "handlers[2].url") is written on, when it can be
    /// found.
    func line(of key: String) -> Int? {
        if let line = lineInArrayOfTables(key) { return line }
        let base = key.split(separator: "[", maxSplits: 1).first.map(String.init) ?? key
        let parts = base.split(separator: ".", maxSplits: 1).map(String.init)
        guard let sectionName = parts.first else { return nil }
        var inSection = false
        for (index, raw) in lines.enumerated() {
            let line = raw.trimmingWhitespaceAndNewlines()
            if line.hasPrefix("[") {
                let name = line.dropFirst().prefix { $0 != "]" }.trimmingWhitespace()
                inSection = name == sectionName
                if inSection && parts.count == 1 { return index + 1 }
                continue
            }
            guard inSection, parts.count == 2 else { continue }
            if line.hasPrefix(parts[1]) {
                let rest = line.dropFirst(parts[1].count).trimmingWhitespace()
                if rest.hasPrefix("=") { return index + 1 }
            }
        }
        return nil
    }

    /// "handlers[2].url" → the line of `url` in the third `[[handlers]]` table (or of the header itself).
    private func lineInArrayOfTables(_ key: String) -> Int? {
        guard let open = key.firstIndex(of: "["), let close = key.firstIndex(of: "]"), open < close,
              let wanted = Int(key[key.index(after: open)..<close]) else { return nil }
        let section = String(key[..<open])
        guard !section.contains(".") else { return nil }
        let rest = key[key.index(after: close)...]
        let field = rest.hasPrefix(".") ? String(rest.dropFirst().prefix { $0 != "[" && $0 != "." }) : nil
        var seen = -1
        var header: Int?
        for (index, raw) in lines.enumerated() {
            let line = raw.trimmingWhitespace()
            if line.hasPrefix("[") {
                if header != nil { break }
                if line.hasPrefix("[[") && line.dropFirst(2).prefix(while: { $0 != "]" }).trimmingWhitespace() == section {
                    seen += 1
                    if seen == wanted { header = index + 1 }
                }
                continue
            }
            guard header != nil, let field, line.hasPrefix(field) else { continue }
            if line.dropFirst(field.count).trimmingWhitespace().hasPrefix("=") { return index + 1 }
        }
        return header
    }

    /// A section's table (nil when absent), refusing keys that are not known.
    func section(_ root: TOMLTable, _ name: String, known: [String]) throws(ConfigError) -> TOMLTable? {
        guard let value = root[name] else { return nil }
        guard let table = value.table else {
            throw error(name, "must be a table ([\(name)]), found \(value.type)")
        }
        for key in table.keys where !known.contains(key) {
            throw error("\(name).\(key)", "unknown key; the keys of [\(name)] are \(known.joined(separator: ", ")) (see config.example.toml)")
        }
        return table
    }

    func string(_ table: TOMLTable?, _ section: String, _ key: String) throws(ConfigError) -> String? {
        guard let value = table?[key] else { return nil }
        guard let text = value.string else { throw error("\(section).\(key)", "must be a string, found \(value.type)") }
        return text
    }

    func bool(_ table: TOMLTable?, _ section: String, _ key: String) throws(ConfigError) -> Bool? {
        guard let value = table?[key] else { return nil }
        guard let flag = value.bool else { throw error("\(section).\(key)", "must be true or false, found \(value.type)") }
        return flag
    }

    func int(_ table: TOMLTable?, _ section: String, _ key: String,
             in range: ClosedRange<Int>) throws(ConfigError) -> Int? {
        guard let value = table?[key] else { return nil }
        guard let number = value.int else { throw error("\(section).\(key)", "must be an integer, found \(value.type)") }
        guard range.contains(number) else {
            throw error("\(section).\(key)", "\(number) is out of range (\(range.lowerBound)...\(range.upperBound))")
        }
        return number
    }

    func strings(_ table: TOMLTable?, _ section: String, _ key: String) throws(ConfigError) -> [String]? {
        guard let value = table?[key] else { return nil }
        guard let array = value.array else {
            throw error("\(section).\(key)", "must be an array of strings, found \(value.type)")
        }
        var result: [String] = []
        for (index, element) in array.enumerated() {
            guard let text = element.string else {
                throw error("\(section).\(key)[\(index)]", "must be a string, found \(element.type)")
            }
            result.append(text)
        }
        return result
    }
}
