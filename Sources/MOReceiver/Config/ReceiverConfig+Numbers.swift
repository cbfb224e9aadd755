import MOPolicy
import TOMLKit

extension ReceiverConfig {
    /// `[[numbers]]`: our numbers that need settings of their own; today the keywords claimed on a shared number
    /// (`claimed_keywords`, docs/auto-replies.md "Shared numbers"). Each entry is checked when the config is read.
    mutating func readNumbers(_ root: TOMLTable, _ reader: ConfigReader) throws(ConfigError) {
        let known = ["number", "claimed_keywords"]
        var entries: [KeywordClaims.Number] = []
        for (index, table) in try reader.arrayOfTables(root, "numbers").enumerated() {
            let key = "numbers[\(index)]"
            for field in table.keys where !known.contains(field) {
                throw reader.error("\(key).\(field)", "unknown key; the keys of [[numbers]] are \(known.joined(separator: ", "))")
            }
            guard let number = try reader.string(table, key, "number") else {
                throw reader.error("\(key).number", "is required: our number as CM sends it in to.number, e.g. number = \"+31970102030405\"")
            }
            entries.append(KeywordClaims.Number(number: number,
                                                keywords: try reader.strings(table, key, "claimed_keywords") ?? []))
        }
        do {
            keywordClaims = try KeywordClaims(entries)
        } catch {
            throw reader.error(error.key, error.message)
        }
    }
}
