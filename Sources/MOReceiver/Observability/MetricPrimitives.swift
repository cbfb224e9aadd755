import Synchronization

/// A family of counters told apart by label values (`mo_receiver_http_requests_total{endpoint="mo",status="200"}`).
/// Thread-safe; one short lock per increment.
final class CounterFamily: Sendable {
    let name: String
    let help: String
    let labels: [String]
    private let values = Mutex<[[String]: Double]>([:])

    init(_ name: String, help: String, labels: [String]) {
        self.name = name
        self.help = help
        self.labels = labels
    }

    func increment(_ labelValues: [String], by amount: Double = 1) {
        values.withLock { $0[labelValues, default: 0] += amount }
    }

    /// Makes a series appear at 0 before its first event (so rates and alerts see it from the start).
    func touch(_ labelValues: [String]) {
        values.withLock { if $0[labelValues] == nil { $0[labelValues] = 0 } }
    }

    /// The sum over every series whose label `name` is `value`.
    func sum(where name: String, is value: String) -> Double {
        guard let index = labels.firstIndex(of: name) else { return 0 }
        return values.withLock { $0.filter { $0.key[index] == value }.values.reduce(0, +) }
    }

    var samples: [MetricSample] {
        values.withLock { $0 }.map { MetricSample(labels: Array(zip(labels, $0.key)), value: $0.value) }
    }
}

/// A family of histograms with fixed buckets (upper bounds in seconds), told apart by label values.
final class HistogramFamily: Sendable {
    struct Series: Sendable {
        var buckets: [UInt64]
        var sum: Double = 0
        var count: UInt64 = 0

        mutating func record(bucket: Int, _ value: Double) {
            buckets[bucket] += 1
            sum += value
            count += 1
        }
    }

    let name: String
    let help: String
    let labels: [String]
    let bounds: [Double]
    private let series = Mutex<[[String]: Series]>([:])

    init(_ name: String, help: String, labels: [String], bounds: [Double]) {
        self.name = name
        self.help = help
        self.labels = labels
        self.bounds = bounds
    }

    func observe(_ labelValues: [String], _ value: Double) {
        let index = bounds.firstIndex { value <= $0 } ?? bounds.count
        let width = bounds.count + 1
        // One lookup; the empty series is built only for a label set seen for the first time.
        series.withLock { $0[labelValues, default: Series(buckets: [UInt64](repeating: 0, count: width))].record(bucket: index, value) }
    }

    func observe(_ labelValues: [String], _ duration: Duration) {
        observe(labelValues, duration / .seconds(1))
    }

    var snapshot: [(labels: [(String, String)], series: Series)] {
        series.withLock { $0 }.map { (Array(zip(labels, $0.key)), $0.value) }
    }
}

struct MetricSample: Sendable {
    var labels: [(String, String)]
    var value: Double

    init(labels: [(String, String)] = [], value: Double) {
        self.labels = labels
        self.value = value
    }
}

/// Prometheus' text exposition format (version 0.0.4): `# HELP`, `# TYPE`, one line per sample, label values
/// escaped, series sorted so scrapes are stable. Pure.
struct PrometheusText {
    private(set) var text = ""

    mutating func family(_ name: String, type: String, help: String, samples: [MetricSample]) {
        text += "# HELP \(name) \(Self.escapeHelp(help))\n# TYPE \(name) \(type)\n"
        for sample in samples.sorted(by: { Self.labelText($0.labels) < Self.labelText($1.labels) }) {
            text += "\(name)\(Self.labelText(sample.labels)) \(Self.number(sample.value))\n"
        }
    }

    mutating func counter(_ family: CounterFamily) {
        self.family(family.name, type: "counter", help: family.help, samples: family.samples)
    }

    mutating func gauge(_ name: String, help: String, _ samples: [MetricSample]) {
        family(name, type: "gauge", help: help, samples: samples)
    }

    mutating func histogram(_ family: HistogramFamily) {
        text += "# HELP \(family.name) \(Self.escapeHelp(family.help))\n# TYPE \(family.name) histogram\n"
        for (labels, series) in family.snapshot.sorted(by: { Self.labelText($0.labels) < Self.labelText($1.labels) }) {
            var cumulative: UInt64 = 0
            for (index, bound) in family.bounds.enumerated() {
                cumulative += series.buckets[index]
                text += "\(family.name)_bucket\(Self.labelText(labels + [("le", Self.number(bound))])) \(cumulative)\n"
            }
            cumulative += series.buckets[family.bounds.count]
            text += "\(family.name)_bucket\(Self.labelText(labels + [("le", "+Inf")])) \(cumulative)\n"
            text += "\(family.name)_sum\(Self.labelText(labels)) \(Self.number(series.sum))\n"
            text += "\(family.name)_count\(Self.labelText(labels)) \(series.count)\n"
        }
    }

    static func labelText(_ labels: [(String, String)]) -> String {
        guard !labels.isEmpty else { return "" }
        return "{" + labels.map { "\($0.0)=\"\(escapeLabel($0.1))\"" }.joined(separator: ",") + "}"
    }

    static func escapeLabel(_ value: String) -> String {
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }

    /// Scalar by scalar, so the LF of a CRLF is escaped too.
    static func escapeHelp(_ value: String) -> String {
        var out = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Integers without a fraction; others in Swift's shortest round-trip form.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
