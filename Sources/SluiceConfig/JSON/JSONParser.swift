/// A strict RFC 8259 JSON parser over bytes.
///
/// Accepts exactly the grammar of RFC 8259 (one value, optional whitespace around it) and
/// refuses: trailing data, invalid UTF-8 (RFC 3629, including overlong forms and encoded
/// surrogates), unescaped control characters, unknown escapes, lone surrogates in `\u` escapes,
/// leading zeros, `NaN`/`Infinity` and other non-grammar numbers, numbers that overflow `Double`,
/// duplicate object keys, and nesting deeper than `maximumDepth`. A byte order mark is refused
/// too (RFC 8259 §8.1 allows that). Integers within `Int64` become `.integer`; larger integers
/// and all numbers with a fraction or exponent become `.number`.
///
/// Work is linear in the input size; recursion is bounded by `maximumDepth`.
public struct JSONParser {
    /// Arrays and objects may nest this deep; one more level is an error.
    public static let maximumDepth = 64

    /// Parses one complete JSON text.
    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        do throws(Failure) {
            parser.skipWhitespace()
            let value = try parser.parseValue()
            parser.skipWhitespace()
            if parser.index < bytes.count {
                throw Failure(kind: .trailingData, offset: parser.index)
            }
            return value
        } catch {
            throw JSONParser.publicError(error, in: bytes)
        }
    }

    /// Parses one complete JSON text from a string's UTF-8 bytes.
    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8))
    }

    struct Failure: Error {
        var kind: JSONParseError.Kind
        var offset: Int
    }

    let bytes: [UInt8]
    var index = 0
    var depth = 0
    /// Members and elements of the containers being parsed, innermost last: each container is
    /// copied out once at its end in an array of exactly its size, instead of growing its own
    /// array by doubling.
    var memberStack: [JSONValue.Member] = []
    var elementStack: [JSONValue] = []

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    static func publicError(_ failure: Failure, in bytes: [UInt8]) -> JSONParseError {
        var line = 1
        var lineStart = 0
        var position = 0
        let end = min(failure.offset, bytes.count)
        while position < end {
            if bytes[position] == UInt8(ascii: "\n") {
                line += 1
                lineStart = position + 1
            }
            position += 1
        }
        return JSONParseError(kind: failure.kind, offset: failure.offset, line: line,
                              column: failure.offset - lineStart + 1)
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    func failure(_ kind: JSONParseError.Kind) -> Failure {
        Failure(kind: kind, offset: index)
    }

    /// The error for the byte at `index`: end of input or an unexpected byte.
    func unexpected() -> Failure {
        index < bytes.count ? failure(.unexpectedByte(bytes[index])) : failure(.unexpectedEndOfInput)
    }

    mutating func parseValue() throws(Failure) -> JSONValue {
        guard index < bytes.count else { throw failure(.unexpectedEndOfInput) }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw unexpected()
        }
    }

    mutating func expectLiteral(_ literal: StaticString) throws(Failure) {
        let utf8 = literal.utf8Start
        for offset in 0..<literal.utf8CodeUnitCount {
            guard index < bytes.count, bytes[index] == utf8[offset] else { throw unexpected() }
            index += 1
        }
    }

    mutating func enterContainer() throws(Failure) {
        depth += 1
        if depth > JSONParser.maximumDepth { throw failure(.tooDeep) }
        index += 1
    }

    mutating func parseArray() throws(Failure) -> JSONValue {
        try enterContainer()
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array([])
        }
        let base = elementStack.count
        while true {
            skipWhitespace()
            let element = try parseValue()
            elementStack.append(element)
            skipWhitespace()
            guard index < bytes.count else { throw failure(.unexpectedEndOfInput) }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                depth -= 1
                let elements = Array(elementStack[base...])
                elementStack.removeSubrange(base...)
                return .array(elements)
            default: throw unexpected()
            }
        }
    }

    mutating func parseObject() throws(Failure) -> JSONValue {
        try enterContainer()
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object([])
        }
        let base = memberStack.count
        var seenKeys: Set<String> = []
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw unexpected() }
            let keyOffset = index
            let key = try parseString()
            // Small objects: a linear scan beats hashing; large ones switch to the set.
            let count = memberStack.count - base
            let duplicate: Bool
            if count < 8 {
                duplicate = memberStack[base...].contains { $0.key == key }
            } else {
                if seenKeys.isEmpty { seenKeys = Set(memberStack[base...].map(\.key)) }
                duplicate = !seenKeys.insert(key).inserted
            }
            if duplicate { throw Failure(kind: .duplicateKey(key), offset: keyOffset) }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw unexpected() }
            index += 1
            skipWhitespace()
            let value = try parseValue()
            memberStack.append(JSONValue.Member(key, value))
            skipWhitespace()
            guard index < bytes.count else { throw failure(.unexpectedEndOfInput) }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                depth -= 1
                let members = Array(memberStack[base...])
                memberStack.removeSubrange(base...)
                return .object(members)
            default: throw unexpected()
            }
        }
    }
}
