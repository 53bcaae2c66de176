/// Why and where `JSONParser` refused its input.
///
/// `offset` is the 0-based byte offset of the offending byte (or of the end of input);
/// `line` and `column` are 1-based, counted in lines ending with LF and in bytes within the line.
/// Messages never quote the input's content (a config file holds secrets), except an object key
/// in `duplicateKey`.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The input ended inside a value (or was empty).
        case unexpectedEndOfInput
        /// A byte that cannot start or continue a value here.
        case unexpectedByte(UInt8)
        /// Bytes after the top-level value (other than whitespace).
        case trailingData
        /// A string contains a byte sequence that is not UTF-8 (RFC 3629).
        case invalidUTF8
        /// An unescaped control character (U+0000…U+001F) in a string (RFC 8259 §7).
        case controlCharacterInString
        /// A backslash escape that RFC 8259 §7 does not define, or a malformed `\u` escape.
        case invalidEscape
        /// A `\uD800`…`\uDFFF` escape that is not part of a high + low surrogate pair.
        case loneSurrogate
        /// An integer part with a leading zero, such as `01` (RFC 8259 §6).
        case leadingZero
        /// A number that does not follow the grammar of RFC 8259 §6 (`1.`, `-`, `1e`).
        case invalidNumber
        /// A number whose magnitude does not fit a `Double` (becomes infinite).
        case numberOutOfRange
        /// A key that already occurred in the same object.
        case duplicateKey(String)
        /// Arrays and objects nested deeper than `JSONParser.maximumDepth`.
        case tooDeep
    }

    public var kind: Kind
    public var offset: Int
    public var line: Int
    public var column: Int

    public init(kind: Kind, offset: Int, line: Int, column: Int) {
        self.kind = kind
        self.offset = offset
        self.line = line
        self.column = column
    }

    public var message: String {
        switch kind {
        case .unexpectedEndOfInput: "unexpected end of input"
        case .unexpectedByte(let byte):
            if byte >= 0x21 && byte < 0x7F {
                "unexpected character '\(Character(Unicode.Scalar(byte)))'"
            } else {
                "unexpected byte 0x\(String(byte, radix: 16, uppercase: true))"
            }
        case .trailingData: "unexpected data after the JSON value"
        case .invalidUTF8: "invalid UTF-8 in string"
        case .controlCharacterInString: "unescaped control character in string"
        case .invalidEscape: "invalid escape sequence in string"
        case .loneSurrogate: "unpaired UTF-16 surrogate in \\u escape"
        case .leadingZero: "leading zero in number"
        case .invalidNumber: "invalid number"
        case .numberOutOfRange: "number out of range"
        case .duplicateKey(let key): "duplicate key \"\(key)\""
        case .tooDeep: "nesting deeper than \(JSONParser.maximumDepth) levels"
        }
    }

    public var description: String {
        "line \(line), column \(column) (byte \(offset)): \(message)"
    }
}
