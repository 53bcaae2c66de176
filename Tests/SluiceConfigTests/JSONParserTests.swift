import Testing
@testable import SluiceConfig

@Suite struct JSONParserTests {
    static let accepted: [(String, JSONValue)] = [
        ("{}", .object([])),
        ("[]", .array([])),
        (" [1, -2, 0, -0]\n", .array([.integer(1), .integer(-2), .integer(0), .integer(0)])),
        ("1.5", .number(1.5)),
        ("1e3", .number(1000)),
        ("-1E-2", .number(-0.01)),
        ("0.0", .number(0)),
        ("9223372036854775807", .integer(.max)),
        ("-9223372036854775808", .integer(.min)),
        ("9223372036854775808", .number(9_223_372_036_854_775_808)),
        (#""a\"\\\/\b\f\n\r\t""#, .string("a\"\\/\u{8}\u{C}\n\r\t")),
        (#""\u00e9\uD83D\uDE00\u0000""#, .string("é😀\u{0}")),
        ("\"é😀\"", .string("é😀")),
        (#"{"b":1,"a":[true,false,null]}"#,
         .object([.init("b", .integer(1)), .init("a", .array([.bool(true), .bool(false), .null]))])),
        (" \t\r\n\"x\" \t\r\n", .string("x")),
    ]

    @Test(arguments: 0..<accepted.count)
    func accepts(case index: Int) throws {
        let (text, expected) = Self.accepted[index]
        #expect(try JSONParser.parse(text) == expected, "\(text)")
    }

    @Test func keepsObjectKeyOrder() throws {
        let value = try JSONParser.parse(#"{"z":1,"m":2,"a":3,"q":4,"b":5,"c":6,"d":7,"e":8,"f":9,"g":10}"#)
        guard case .object(let members) = value else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.key) == ["z", "m", "a", "q", "b", "c", "d", "e", "f", "g"])
    }

    @Test func acceptsNestingUpToTheLimit() throws {
        let depth = JSONParser.maximumDepth
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        var value = try JSONParser.parse(text)
        for _ in 1..<depth {
            guard case .array(let elements) = value, elements.count == 1 else {
                Issue.record("wrong shape")
                return
            }
            value = elements[0]
        }
        #expect(value == .array([]))
    }

    typealias Kind = JSONParseError.Kind

    /// (input bytes, kind, offset, line, column)
    static let rejected: [([UInt8], Kind, Int, Int, Int)] = [
        (bytes(""), .unexpectedEndOfInput, 0, 1, 1),
        (bytes("   "), .unexpectedEndOfInput, 3, 1, 4),
        (bytes(#"{"a":1,"a":2}"#), .duplicateKey("a"), 7, 1, 8),
        (bytes(#"{"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k9":9,"k2":0}"#), .duplicateKey("k2"), 64, 1, 65),
        (bytes("[1] x"), .trailingData, 4, 1, 5),
        (bytes(#"{"a":1}}"#), .trailingData, 7, 1, 8),
        (bytes("01"), .leadingZero, 1, 1, 2),
        (bytes("-01"), .leadingZero, 2, 1, 3),
        (bytes("-"), .unexpectedEndOfInput, 1, 1, 2),
        (bytes("1."), .unexpectedEndOfInput, 2, 1, 3),
        (bytes("1.e5"), .invalidNumber, 2, 1, 3),
        (bytes("1e+"), .unexpectedEndOfInput, 3, 1, 4),
        (bytes("1ex"), .invalidNumber, 2, 1, 3),
        (bytes("NaN"), .unexpectedByte(UInt8(ascii: "N")), 0, 1, 1),
        (bytes("-Infinity"), .invalidNumber, 1, 1, 2),
        (bytes(".5"), .unexpectedByte(UInt8(ascii: ".")), 0, 1, 1),
        (bytes("+1"), .unexpectedByte(UInt8(ascii: "+")), 0, 1, 1),
        (bytes("1e400"), .numberOutOfRange, 0, 1, 1),
        (bytes("[-1e400]"), .numberOutOfRange, 1, 1, 2),
        (bytes(#""\x""#), .invalidEscape, 1, 1, 2),
        (bytes(#""\u12""#), .invalidEscape, 1, 1, 2),
        (bytes(#""\uD800""#), .loneSurrogate, 1, 1, 2),
        (bytes(#""\uDC00""#), .loneSurrogate, 1, 1, 2),
        (bytes(#""ab\uD800\u0041""#), .loneSurrogate, 3, 1, 4),
        (bytes(#""ab"#), .unexpectedEndOfInput, 3, 1, 4),
        ([0x22, 0x61, 0x01, 0x22], .controlCharacterInString, 2, 1, 3),
        ([0x22, 0x09, 0x22], .controlCharacterInString, 1, 1, 2),
        ([0x22, 0xC3, 0x28, 0x22], .invalidUTF8, 2, 1, 3),
        ([0x22, 0xC0, 0x80, 0x22], .invalidUTF8, 1, 1, 2),
        ([0x22, 0x80, 0x22], .invalidUTF8, 1, 1, 2),
        ([0x22, 0xED, 0xA0, 0x80, 0x22], .invalidUTF8, 2, 1, 3),
        ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], .invalidUTF8, 2, 1, 3),
        ([0x22, 0xF5, 0x80, 0x80, 0x80, 0x22], .invalidUTF8, 1, 1, 2),
        ([0x22, 0xE0, 0x80, 0xAF, 0x22], .invalidUTF8, 2, 1, 3),
        ([0x22, 0xE2, 0x82, 0x22], .invalidUTF8, 3, 1, 4),
        ([0x22, 0xE2, 0x82], .unexpectedEndOfInput, 3, 1, 4),
        ([0xEF, 0xBB, 0xBF, 0x7B, 0x7D], .unexpectedByte(0xEF), 0, 1, 1),
        (bytes("[1,]"), .unexpectedByte(UInt8(ascii: "]")), 3, 1, 4),
        (bytes(#"{"a" 1}"#), .unexpectedByte(UInt8(ascii: "1")), 5, 1, 6),
        (bytes("{,}"), .unexpectedByte(UInt8(ascii: ",")), 1, 1, 2),
        (bytes("{'a':1}"), .unexpectedByte(UInt8(ascii: "'")), 1, 1, 2),
        (bytes("[1 2]"), .unexpectedByte(UInt8(ascii: "2")), 3, 1, 4),
        (bytes("[1,2"), .unexpectedEndOfInput, 4, 1, 5),
        (bytes("tru"), .unexpectedEndOfInput, 3, 1, 4),
        (bytes("trUe"), .unexpectedByte(UInt8(ascii: "U")), 2, 1, 3),
        (bytes("{\n  \"a\": 1,\n  \"b\": x\n}"), .unexpectedByte(UInt8(ascii: "x")), 19, 3, 8),
        (bytes("\n\n  01"), .leadingZero, 5, 3, 4),
        (bytes(String(repeating: "[", count: 65) + String(repeating: "]", count: 65)), .tooDeep, 64, 1, 65),
        (bytes(String(repeating: "{\"a\":", count: 65) + "1" + String(repeating: "}", count: 65)), .tooDeep, 320, 1, 321),
    ]

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test(arguments: 0..<rejected.count)
    func rejects(case index: Int) {
        let (input, kind, offset, line, column) = Self.rejected[index]
        #expect(throws: JSONParseError(kind: kind, offset: offset, line: line, column: column),
                "\(String(decoding: input, as: UTF8.self))") {
            try JSONParser.parse(input)
        }
    }

    @Test func errorDescriptionGivesPositionAndDoesNotQuoteStrings() {
        do {
            _ = try JSONParser.parse(#"{"secret": "hunter2\x"}"#)
            Issue.record("accepted an invalid escape")
        } catch {
            #expect(error.description == "line 1, column 20 (byte 19): invalid escape sequence in string")
            #expect(!error.description.contains("hunter2"))
        }
    }

    @Test func rejectsEveryTruncationOfAValidDocument() {
        let text = Array(#"{"a":[1,-2.5e3,"é\n",true,null],"b":{}}"#.utf8)
        for length in 0..<text.count {
            #expect(throws: JSONParseError.self) { try JSONParser.parse(Array(text[..<length])) }
        }
        #expect(throws: Never.self) { try JSONParser.parse(text) }
    }
}
