import Testing
@testable import SluiceHTTP

@Suite struct HTTPHeadWriterTests {
    func written(_ body: (inout [UInt8]) -> Void) -> String {
        var out: [UInt8] = []
        body(&out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test func preEncodedStatusLinesMatchTheGenericOnes() {
        for status in 100...599 {
            guard let line = HTTPHeadWriter.preEncodedStatusLine(status) else { continue }
            let reason = String(describing: HTTPHeadWriter.reasonPhrase(status))
            #expect(String(describing: line) == "HTTP/1.1 \(status) \(reason)\r\n")
        }
        #expect(written { HTTPHeadWriter.appendStatusLine(200, to: &$0) } == "HTTP/1.1 200 OK\r\n")
        #expect(written { HTTPHeadWriter.appendStatusLine(418, to: &$0) } == "HTTP/1.1 418 \r\n")
        #expect(written { HTTPHeadWriter.appendStatusLine(404, version: .http10, to: &$0) } == "HTTP/1.0 404 Not Found\r\n")
        #expect(written { HTTPHeadWriter.appendStatusLine(307, to: &$0) } == "HTTP/1.1 307 Temporary Redirect\r\n")
        #expect(written { HTTPHeadWriter.appendStatusLine(7, to: &$0) } == "HTTP/1.1 500 Internal Server Error\r\n")
    }

    @Test func decimals() {
        for value in [0, 1, 9, 10, 99, 100, 12345, 999_999, 1_000_000, Int(Int32.max), Int.max] {
            #expect(written { HTTPHeadWriter.appendDecimal(value, to: &$0) } == String(value))
        }
        #expect(written { HTTPHeadWriter.appendDecimal(-5, to: &$0) } == "0")
        #expect(written { HTTPHeadWriter.appendContentLength(1234, to: &$0) } == "Content-Length: 1234\r\n")
        #expect(written { HTTPHeadWriter.appendField("X-Count", decimal: 0, to: &$0) } == "X-Count: 0\r\n")
    }

    @Test func chunkFraming() {
        for size in [0, 1, 15, 16, 255, 4096, 0x7FFF_FFFF, Int.max] {
            #expect(written { HTTPHeadWriter.appendChunkSizeLine(size, to: &$0) } == String(size, radix: 16) + "\r\n")
        }
        #expect(written { HTTPHeadWriter.appendLastChunk(to: &$0) } == "0\r\n\r\n")
    }

    @Test func fieldOverloads() {
        let value: [UInt8] = Array("abc".utf8)
        let text = written { out in
            HTTPHeadWriter.appendField("Server", "sluice", to: &out)
            HTTPHeadWriter.appendField("X-Bytes", value, to: &out)
            value.withUnsafeBytes { HTTPHeadWriter.appendField("X-Raw", $0, to: &out) }
            value.withUnsafeBytes { raw in value.withUnsafeBytes { HTTPHeadWriter.appendField(raw, $0, to: &out) } }
            HTTPHeadWriter.appendField(name: "X-Split", value: "a\r\nInjected: yes\u{0}", to: &out)
            HTTPHeadWriter.appendEndOfHead(to: &out)
        }
        #expect(text == "Server: sluice\r\nX-Bytes: abc\r\nX-Raw: abc\r\nabc: abc\r\nX-Split: a  Injected: yes \r\n\r\n")
    }

    @Test func writtenHeadsParseBack() throws {
        var out: [UInt8] = []
        let target: [UInt8] = Array("/api/x?y=1".utf8)
        let method: [UInt8] = Array("PURGE".utf8)
        #expect(!target.withUnsafeBytes { HTTPHeadWriter.appendRequestLine(.other, target: $0, to: &out) })
        #expect(out.isEmpty)
        method.withUnsafeBytes { m in target.withUnsafeBytes { HTTPHeadWriter.appendRequestLine(method: m, target: $0, to: &out) } }
        HTTPHeadWriter.appendField("Host", "example.com", to: &out)
        HTTPHeadWriter.appendContentLength(3, to: &out)
        HTTPHeadWriter.appendEndOfHead(to: &out)
        let request = try #require(parseRequestOnce(out).1)
        #expect(request.methodText == "PURGE" && request.target == "/api/x?y=1" && request.framing == .contentLength(3))

        out.removeAll(keepingCapacity: true)
        #expect(target.withUnsafeBytes { HTTPHeadWriter.appendRequestLine(.DELETE, target: $0, version: .http10, to: &out) })
        HTTPHeadWriter.appendEndOfHead(to: &out)
        let old = try #require(parseRequestOnce(out).1)
        #expect(old.method == .DELETE && old.version == .http10)

        out.removeAll(keepingCapacity: true)
        HTTPHeadWriter.appendStatusLine(503, to: &out)
        HTTPHeadWriter.appendField("Transfer-Encoding", "chunked", to: &out)
        HTTPHeadWriter.appendEndOfHead(to: &out)
        var parser = HTTP1ResponseParser()
        #expect(out.withUnsafeBytes { parser.parse($0, requestMethod: .GET) } == .complete(consumed: out.count))
        #expect(parser.head.status == 503 && parser.head.framing == .chunked)
    }

    @Test func reusedBufferKeepsCapacity() {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        let capacity = out.capacity
        for _ in 0..<100 {
            out.removeAll(keepingCapacity: true)
            HTTPHeadWriter.appendStatusLine(200, to: &out)
            HTTPHeadWriter.appendContentLength(12, to: &out)
            HTTPHeadWriter.appendField("Content-Type", "text/plain", to: &out)
            HTTPHeadWriter.appendEndOfHead(to: &out)
        }
        #expect(out.capacity == capacity)
        #expect(out.count == "HTTP/1.1 200 OK\r\nContent-Length: 12\r\nContent-Type: text/plain\r\n\r\n".utf8.count)
    }
}
