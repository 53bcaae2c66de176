/// Writes the Prometheus text exposition format, version 0.0.4
/// (https://prometheus.io/docs/instrumenting/exposition_formats/), by hand:
///
/// - each family once: `# HELP name text` (text escapes `\` and newline), `# TYPE name type`,
///   then all its samples, contiguous;
/// - samples `name{label="value",...} number`: label values escape `\` as `\\`, `"` as `\"` and
///   newline as `\n`; numbers are integers for counters and gauges of counts, else the shortest
///   decimal that reads back as the same `Double` (`+Inf`, `-Inf`, `NaN` spelled Prometheus' way);
/// - histograms: cumulative `name_bucket{...,le="bound"}` for every bound and `le="+Inf"`, then
///   `name_sum` and `name_count` (equal to the `+Inf` bucket).
///
/// Metric and label names are the caller's constants and must match `[a-zA-Z_:][a-zA-Z0-9_:]*`
/// (checked in debug builds). Not for the hot path: it builds a `String` at scrape time.
public struct PrometheusExposition: Sendable {
    public enum MetricType: String, Sendable {
        case counter, gauge, histogram
    }

    public private(set) var text = ""

    public init() {}

    /// The body of a scrape answer.
    public var bytes: [UInt8] { Array(text.utf8) }

    /// `Content-Type` of the format.
    public static let contentType: StaticString = "text/plain; version=0.0.4; charset=utf-8"

    /// Starts a family: HELP and TYPE lines. Write its samples right after.
    public mutating func family(_ name: String, _ type: MetricType, help: String) {
        assert(Self.isValidName(name), "invalid metric name \(name)")
        text += "# HELP \(name) "
        for character in help.unicodeScalars {
            switch character {
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            default: text.unicodeScalars.append(character)
            }
        }
        text += "\n# TYPE \(name) \(type.rawValue)\n"
    }

    /// One sample with an integer value (counters, counts).
    public mutating func sample(_ name: String, labels: [(String, String)] = [], _ value: UInt64) {
        writeName(name, labels, extra: nil)
        text += " \(value)\n"
    }

    /// One sample with a floating-point value.
    public mutating func sample(_ name: String, labels: [(String, String)] = [], double value: Double) {
        writeName(name, labels, extra: nil)
        text += " " + Self.format(value) + "\n"
    }

    /// A histogram's samples (`_bucket` cumulative with `le`, `_sum` in seconds, `_count`).
    public mutating func histogram(_ name: String, labels: [(String, String)] = [], _ histogram: Histogram) {
        var cumulative: UInt64 = 0
        let bucketName = name + "_bucket"
        for (index, bound) in histogram.buckets.upperBounds.enumerated() {
            cumulative &+= histogram.counts[index]
            writeName(bucketName, labels, extra: ("le", Self.format(bound)))
            text += " \(cumulative)\n"
        }
        cumulative &+= histogram.counts[histogram.buckets.upperBounds.count]
        writeName(bucketName, labels, extra: ("le", "+Inf"))
        text += " \(cumulative)\n"
        writeName(name + "_sum", labels, extra: nil)
        text += " " + Self.format(histogram.sumSeconds) + "\n"
        writeName(name + "_count", labels, extra: nil)
        text += " \(histogram.count)\n"
    }

    private mutating func writeName(_ name: String, _ labels: [(String, String)], extra: (String, String)?) {
        text += name
        guard !labels.isEmpty || extra != nil else { return }
        text += "{"
        var first = true
        for (label, value) in labels {
            writeLabel(label, value, first: first)
            first = false
        }
        if let extra { writeLabel(extra.0, extra.1, first: first) }
        text += "}"
    }

    private mutating func writeLabel(_ label: String, _ value: String, first: Bool) {
        assert(Self.isValidName(label) && !label.contains(":"), "invalid label name \(label)")
        if !first { text += "," }
        text += label
        text += "=\""
        for character in value.unicodeScalars {
            switch character {
            case "\\": text += "\\\\"
            case "\"": text += "\\\""
            case "\n": text += "\\n"
            default: text.unicodeScalars.append(character)
            }
        }
        text += "\""
    }

    /// A sample value or `le` bound as Prometheus parses it (Go `strconv.ParseFloat` syntax).
    public static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return value.description
    }

    /// `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(first >= 0x30 && first <= 0x39) else { return false }
        return name.utf8.allSatisfy { byte in
            (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
                || byte == 0x5F || byte == 0x3A
        }
    }
}
