import Testing
@testable import SluiceConfig

@Suite struct JSONWriterTests {
    func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func compactHasNoInsignificantWhitespaceAndKeepsKeyOrder() {
        let value: JSONValue = .object([
            .init("b", .array([.integer(1), .number(2.5), .string("x\n\u{1}\"\\/")])),
            .init("a", .null),
            .init("t", .bool(true)),
            .init("e", .object([])),
        ])
        #expect(text(JSONWriter.compact(value)) == #"{"b":[1,2.5,"x\n\u0001\"\\/"],"a":null,"t":true,"e":{}}"#)
    }

    @Test func prettyIndentsByTwoSpaces() {
        let value: JSONValue = .object([
            .init("a", .array([.integer(1), .object([.init("b", .bool(false))])])),
            .init("c", .array([])),
        ])
        let expected = """
        {
          "a": [
            1,
            {
              "b": false
            }
          ],
          "c": []
        }

        """
        #expect(text(JSONWriter.pretty(value)) == expected)
    }

    @Test func numbersKeepTheirKind() throws {
        #expect(text(JSONWriter.compact(.number(5))) == "5.0")
        #expect(try JSONParser.parse(JSONWriter.compact(.number(5))) == .number(5))
        #expect(text(JSONWriter.compact(.number(0.1))) == "0.1")
        #expect(try JSONParser.parse(JSONWriter.compact(.number(1e-7))) == .number(1e-7))
        #expect(text(JSONWriter.compact(.integer(.min))) == "-9223372036854775808")
        #expect(text(JSONWriter.compact(.number(.nan))) == "null")
        #expect(text(JSONWriter.compact(.number(-.infinity))) == "null")
    }

    @Test func escapesEveryControlCharacterAndKeepsUnicode() throws {
        let all = String(String.UnicodeScalarView((0..<0x20).compactMap(Unicode.Scalar.init))) + "é😀\u{7F}"
        let written = JSONWriter.compact(.string(all))
        #expect(!written.dropFirst().dropLast().contains { $0 < 0x20 })
        #expect(text(written).hasSuffix("\\u001f\u{E9}\u{1F600}\u{7F}\""))
        #expect(try JSONParser.parse(written) == .string(all))
    }

    @Test func canonicalTextsAreFixedPoints() throws {
        let texts = [
            #"{"format":1,"a":[1,-2,3.25,"s",true,false,null,{},[]],"ü":"\"é\""}"#,
            "[]", "0", "-1.5e-07", #""\b\f\n\r\t""#,
        ]
        for canonical in texts {
            #expect(text(JSONWriter.compact(try JSONParser.parse(canonical))) == canonical)
        }
    }

    /// Deterministic pseudo-random trees (a fixed-seed xorshift generator) survive both forms.
    @Test func randomTreesRoundTrip() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        func tree(depth: Int) -> JSONValue {
            switch next() % (depth > 4 ? 5 : 8) {
            case 0: return .null
            case 1: return .bool(next() % 2 == 0)
            case 2: return .integer(Int64(bitPattern: next()))
            case 3: return .number(Double(Int64(bitPattern: next())) / 1e6 + 0.5)
            case 4:
                let scalars = (0..<(next() % 6)).compactMap { _ in Unicode.Scalar(UInt32(next() % 0x3000)) }
                return .string(String(String.UnicodeScalarView(scalars)))
            case 5, 6: return .array((0..<(next() % 4)).map { _ in tree(depth: depth + 1) })
            default:
                let count = Int(next() % 12)
                return .object((0..<count).map { index in .init("k\(index)", tree(depth: depth + 1)) })
            }
        }
        for _ in 0..<300 {
            let value = tree(depth: 0)
            #expect(try JSONParser.parse(JSONWriter.compact(value)) == value)
            #expect(try JSONParser.parse(JSONWriter.pretty(value)) == value)
        }
    }

    @Test func pointerTokensAreEscaped() {
        #expect(JSONPointer.appending("/routes", "a/b~c") == "/routes/a~1b~0c")
        #expect(JSONPointer.appending("", 3) == "/3")
    }
}
