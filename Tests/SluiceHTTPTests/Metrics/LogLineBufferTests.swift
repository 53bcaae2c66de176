import Foundation
import SluiceHTTP
import Testing

@Suite struct LogLineBufferTests {
    @Test func growsPastItsCapacityAndKeepsEveryByte() {
        let buffer = LogLineBuffer(capacity: 256)
        var expected: [UInt8] = []
        for index in 0..<1000 {
            let bytes = Array("line \(index);".utf8)
            buffer.append(bytes)
            expected += bytes
        }
        #expect(buffer.count == expected.count)
        #expect(buffer.capacity >= expected.count)
        #expect(buffer.copyBytes() == expected)
        buffer.removeAll()
        #expect(buffer.isEmpty)
        buffer.append("after")
        #expect(buffer.copyBytes() == Array("after".utf8))
    }

    @Test func numbersAndMilliseconds() {
        let buffer = LogLineBuffer(capacity: 256)
        buffer.append(decimal: -42)
        buffer.append(0x20)
        buffer.append(unsigned: 0)
        buffer.append(0x20)
        buffer.append(unsigned: UInt64.max)
        buffer.append(0x20)
        buffer.append(millisecondsOf: 1_234_567_890)
        #expect(String(decoding: buffer.copyBytes(), as: UTF8.self) == "-42 0 18446744073709551615 1234.567")
    }

    @Test func jsonEscapingReadsBack() throws {
        let buffer = LogLineBuffer(capacity: 256)
        buffer.append("[\"")
        buffer.appendJSONEscaped(Array("/a\"b\\c\u{1}d".utf8) + [0xFF])
        buffer.append("\",\"")
        buffer.appendJSONEscaped("ünï\n\"")
        buffer.append("\"]")
        let decoded = try #require(try JSONSerialization.jsonObject(with: Data(buffer.copyBytes())) as? [String])
        #expect(decoded == ["/a\"b\\c\u{1}d\u{FF}", "ünï\n\""])
    }
}
