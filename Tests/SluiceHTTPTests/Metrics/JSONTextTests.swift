import Foundation
import SluiceHTTP
import Testing

@Suite struct JSONTextTests {
    @Test func escapedBytesReadBackAsTheSameString() throws {
        let raw: [UInt8] = Array("a\"b\\c\n\r\t".utf8) + [0x01, 0x1F, 0x7F, 0x41]
        var out: [UInt8] = Array("[\"".utf8)
        JSONText.appendEscapedBytes(raw, to: &out)
        out += Array("\",\"".utf8)
        JSONText.appendEscaped("ünï \"x\" \\ \u{7}", to: &out)
        out += Array("\"]".utf8)
        let decoded = try #require(try JSONSerialization.jsonObject(with: Data(out)) as? [String])
        #expect(decoded == [String(decoding: raw, as: UTF8.self), "ünï \"x\" \\ \u{7}"])
    }

    @Test func bytesAboveASCIIStayValidJSON() throws {
        var out: [UInt8] = Array("[\"".utf8)
        JSONText.appendEscapedBytes([0xFF, 0xC3], to: &out)
        out += Array("\"]".utf8)
        #expect(String(decoding: out, as: UTF8.self) == #"["\u00ff\u00c3"]"#)
        #expect(try JSONSerialization.jsonObject(with: Data(out)) is [String])
    }

    @Test func numbersAndMilliseconds() {
        var out: [UInt8] = []
        JSONText.appendInteger(-1234567890123, to: &out)
        out.append(0x20)
        JSONText.appendUnsigned(0, to: &out)
        out.append(0x20)
        JSONText.appendMilliseconds(nanoseconds: 12_345_678, to: &out)
        out.append(0x20)
        JSONText.appendMilliseconds(nanoseconds: 7_000, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "-1234567890123 0 12.345 0.007")
    }

    @Test func timestampsAreRFC3339WithMilliseconds() {
        var text = TimestampText()
        var out: [UInt8] = []
        text.append(wallMilliseconds: 1_795_453_796_049, to: &out)
        out.append(0x20)
        text.append(wallMilliseconds: 1_795_453_797_999, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "2026-11-23T17:09:56.049Z 2026-11-23T17:09:57.999Z")
    }

    @Test func eventFieldsNestListsAndObjects() {
        let line = EventLog.line(.error, program: "p", event: "e", message: "m",
                                 fields: [("problems", .list([.object([.init("pointer", .string("/a\"")), .init("n", .int(1))]),
                                                              .list([]), .null]))],
                                 time: "t")
        #expect(line == #"{"time":"t","level":"error","program":"p","event":"e","message":"m","problems":[{"pointer":"/a\"","n":1},[],null]}"#)
    }

    @Test func eventLinesAreOneJSONObject() throws {
        let line = EventLog.line(.warning, program: "sluice-proxy", event: "config_refused", message: "bad \"x\"\nnext",
                                 fields: [("version", .int(3)), ("ok", .bool(false)), ("why", .null), ("path", .string("/a"))],
                                 time: "2026-11-23T15:49:56.049Z")
        #expect(!line.contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["level"] as? String == "warning")
        #expect(object["event"] as? String == "config_refused")
        #expect(object["message"] as? String == "bad \"x\"\nnext")
        #expect(object["version"] as? Int == 3)
        #expect(object["ok"] as? Bool == false)
        #expect(object["why"] is NSNull)
        #expect(line.hasPrefix(#"{"time":"2026-11-23T15:49:56.049Z","level":"warning","program":"sluice-proxy","event""#))
    }
}
