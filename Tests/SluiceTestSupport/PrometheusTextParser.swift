import Foundation

/// A strict parser of the Prometheus text exposition format 0.0.4, written for the tests (both
/// planes' `/metrics`). It throws on anything a lenient scraper might let through:
///
/// - lines: every line ends with `\n`, no blank lines, comments only `# HELP` / `# TYPE`;
/// - names `[a-zA-Z_:][a-zA-Z0-9_:]*`, label names `[a-zA-Z_][a-zA-Z0-9_]*`, no repeated label;
/// - label values in double quotes with only the escapes `\\`, `\"`, `\n`;
/// - HELP text with only the escapes `\\` and `\n`;
/// - each family: HELP and TYPE exactly once, before its samples; its samples contiguous (a family
///   never reopens); a sample's name is the family's (or `_bucket`/`_sum`/`_count` of a histogram);
/// - values in Go `ParseFloat` syntax (`+Inf`, `-Inf`, `NaN`, decimals, exponents); no timestamps
///   (we never write them); counters and histogram values non-negative;
/// - histograms, per label set: `le` on every `_bucket` (and only there), bounds strictly
///   increasing, cumulative counts non-decreasing, a final `le="+Inf"` equal to `_count`, and `_sum`;
/// - no two samples with the same name and labels.
public struct PrometheusScrape {
    public struct Sample: Equatable {
        public var name: String
        public var labels: [String: String]
        public var value: Double
    }

    public struct Family {
        public var name: String
        public var type: String
        public var help: String
        public var samples: [Sample] = []
    }

    public struct ParseError: Error, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    public private(set) var families: [String: Family] = [:]
    /// Family names in the order they appeared.
    public private(set) var order: [String] = []

    public init(parsing text: String) throws {
        guard text.isEmpty || text.hasSuffix("\n") else { throw ParseError(line: 0, message: "no final newline") }
        var helps: [String: String] = [:]
        var types: [String: String] = [:]
        var current: String?
        var closed: Set<String> = []
        var seen: Set<String> = []
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        for (offset, rawLine) in lines.enumerated() {
            let number = offset + 1
            func fail(_ message: String) -> ParseError { ParseError(line: number, message: message + ": \(rawLine)") }
            let line = String(rawLine)
            guard !line.isEmpty else { throw fail("blank line") }
            if line.hasPrefix("#") {
                let parts = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
                guard parts.count >= 3, parts[0] == "#", parts[1] == "HELP" || parts[1] == "TYPE" else {
                    throw fail("a comment other than HELP or TYPE")
                }
                let name = parts[2]
                guard Self.isMetricName(name) else { throw fail("invalid metric name") }
                if current != name {
                    if let current { closed.insert(current) }
                    guard !closed.contains(name) else { throw fail("family \(name) reopened") }
                    current = name
                }
                guard families[name]?.samples.isEmpty ?? true else { throw fail("HELP/TYPE after samples") }
                if parts[1] == "HELP" {
                    guard helps[name] == nil else { throw fail("second HELP") }
                    helps[name] = try Self.unescapeHelp(parts.count > 3 ? parts[3] : "", fail)
                } else {
                    guard types[name] == nil else { throw fail("second TYPE") }
                    guard parts.count == 4, ["counter", "gauge", "histogram", "summary", "untyped"].contains(parts[3]) else {
                        throw fail("invalid TYPE")
                    }
                    types[name] = parts[3]
                }
                if let help = helps[name], let type = types[name], families[name] == nil {
                    families[name] = Family(name: name, type: type, help: help)
                    order.append(name)
                }
                continue
            }
            let sample = try Self.parseSample(line, fail)
            guard let family = current, let type = families[family]?.type else { throw fail("sample before HELP and TYPE") }
            let allowed = type == "histogram" ? [family + "_bucket", family + "_sum", family + "_count"]
                : type == "summary" ? [family, family + "_sum", family + "_count"] : [family]
            guard allowed.contains(sample.name) else { throw fail("sample \(sample.name) outside its family \(family)") }
            let key = sample.name + "|" + sample.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            guard seen.insert(key).inserted else { throw fail("duplicate sample") }
            if type == "counter" || type == "histogram" {
                guard sample.value >= 0 else { throw fail("negative \(type) value") }
            }
            guard (sample.labels["le"] != nil) == (sample.name == family + "_bucket" && type == "histogram") else {
                throw fail("le label misplaced")
            }
            families[family]?.samples.append(sample)
        }
        for name in Set(helps.keys).union(types.keys) where families[name] == nil {
            throw ParseError(line: 0, message: "family \(name) lacks HELP or TYPE")
        }
        for family in families.values where family.type == "histogram" {
            try Self.checkHistogram(family)
        }
    }

    // MARK: Queries

    /// The value of the sample with exactly these labels; nil if absent.
    public func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples(named: name).first { $0.labels == labels }?.value
    }

    /// The sum over samples whose labels include `matching`.
    public func sum(_ name: String, matching: [String: String] = [:]) -> Double {
        samples(named: name).filter { sample in matching.allSatisfy { sample.labels[$0.key] == $0.value } }
            .reduce(0) { $0 + $1.value }
    }

    public func samples(named name: String) -> [Sample] {
        families.values.flatMap { $0.samples }.filter { $0.name == name }
    }

    public func type(of family: String) -> String? { families[family]?.type }

    // MARK: Syntax

    static func isMetricName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first,
              first == "_" || first == ":" || ("a"..."z").contains(first) || ("A"..."Z").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == ":" }
    }

    static func isLabelName(_ name: String) -> Bool {
        isMetricName(name) && !name.contains(":")
    }

    static func unescapeHelp(_ text: String, _ fail: (String) -> ParseError) throws -> String {
        var out = ""
        var escaping = false
        for character in text {
            if escaping {
                switch character {
                case "\\": out.append("\\")
                case "n": out.append("\n")
                default: throw fail("invalid escape in HELP")
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                out.append(character)
            }
        }
        guard !escaping else { throw fail("dangling backslash in HELP") }
        return out
    }

    static func parseSample(_ line: String, _ fail: (String) -> ParseError) throws -> Sample {
        let scalars = Array(line.unicodeScalars)
        var index = 0
        var name = ""
        while index < scalars.count, scalars[index] != "{", scalars[index] != " " {
            name.unicodeScalars.append(scalars[index])
            index += 1
        }
        guard isMetricName(name) else { throw fail("invalid sample name") }
        var labels: [String: String] = [:]
        if index < scalars.count, scalars[index] == "{" {
            index += 1
            while true {
                guard index < scalars.count else { throw fail("unterminated label set") }
                if scalars[index] == "}" {
                    guard labels.isEmpty || scalars[index - 1] == "\"" else { throw fail("trailing comma") }
                    index += 1
                    break
                }
                if !labels.isEmpty {
                    guard scalars[index] == "," else { throw fail("expected , between labels") }
                    index += 1
                }
                var label = ""
                while index < scalars.count, scalars[index] != "=" {
                    label.unicodeScalars.append(scalars[index])
                    index += 1
                }
                guard isLabelName(label) else { throw fail("invalid label name \(label)") }
                guard index + 1 < scalars.count, scalars[index] == "=", scalars[index + 1] == "\"" else { throw fail("expected =\"") }
                index += 2
                var value = ""
                while true {
                    guard index < scalars.count else { throw fail("unterminated label value") }
                    let scalar = scalars[index]
                    index += 1
                    if scalar == "\"" { break }
                    if scalar == "\\" {
                        guard index < scalars.count else { throw fail("dangling backslash") }
                        switch scalars[index] {
                        case "\\": value.append("\\")
                        case "\"": value.append("\"")
                        case "n": value.append("\n")
                        default: throw fail("invalid escape in label value")
                        }
                        index += 1
                    } else {
                        guard scalar != "\n" else { throw fail("raw newline in label value") }
                        value.unicodeScalars.append(scalar)
                    }
                }
                guard labels.updateValue(value, forKey: label) == nil else { throw fail("repeated label \(label)") }
            }
        }
        guard index < scalars.count, scalars[index] == " " else { throw fail("expected one space before the value") }
        index += 1
        var valueText = ""
        while index < scalars.count {
            valueText.unicodeScalars.append(scalars[index])
            index += 1
        }
        guard let value = parseValue(valueText) else { throw fail("invalid value \(valueText) (or a timestamp)") }
        return Sample(name: name, labels: labels, value: value)
    }

    /// Go `strconv.ParseFloat` syntax, as Prometheus reads it.
    public static func parseValue(_ text: String) -> Double? {
        switch text {
        case "+Inf", "Inf": return .infinity
        case "-Inf": return -.infinity
        case "NaN": return .nan
        default: break
        }
        guard text.range(of: #"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"#, options: .regularExpression) != nil else { return nil }
        return Double(text)
    }

    static func checkHistogram(_ family: Family) throws {
        func fail(_ message: String) -> ParseError { ParseError(line: 0, message: "histogram \(family.name): " + message) }
        var groups: [[String: String]: (buckets: [(Double, Double)], sum: Double?, count: Double?)] = [:]
        for sample in family.samples {
            var key = sample.labels
            key["le"] = nil
            var group = groups[key] ?? ([], nil, nil)
            if sample.name == family.name + "_bucket" {
                guard let bound = sample.labels["le"].flatMap(parseValue), !bound.isNaN else { throw fail("bad le") }
                group.buckets.append((bound, sample.value))
            } else if sample.name == family.name + "_sum" {
                group.sum = sample.value
            } else {
                group.count = sample.value
            }
            groups[key] = group
        }
        for (labels, group) in groups {
            guard let last = group.buckets.last, last.0 == .infinity else { throw fail("\(labels): no +Inf bucket last") }
            for (previous, next) in zip(group.buckets, group.buckets.dropFirst()) {
                guard previous.0 < next.0 else { throw fail("\(labels): bounds not increasing") }
                guard previous.1 <= next.1 else { throw fail("\(labels): buckets not cumulative") }
            }
            guard let count = group.count, count == last.1 else { throw fail("\(labels): _count != +Inf bucket") }
            guard group.sum != nil else { throw fail("\(labels): no _sum") }
        }
    }
}
