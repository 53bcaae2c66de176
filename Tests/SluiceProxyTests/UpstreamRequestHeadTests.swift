import Testing
import SluiceHTTP
@testable import SluiceProxy

@Suite struct UpstreamRequestHeadTests {
    static func rewrite(_ request: String, strip: Int = 0) -> String {
        let bytes = Array(request.utf8)
        var parser = HTTP1RequestParser(limits: HTTPLimits())
        guard case .complete = bytes.withUnsafeBytes({ parser.parse($0) }) else { return "unparsed" }
        var out: [UInt8] = []
        bytes.withUnsafeBytes { raw in
            UpstreamRequestHead.write(parser.head, bytes: raw, stripLength: strip, peer: Array("10.9.8.7".utf8),
                                      requestID: Array("rid".utf8), defaultHost: Array("up:80".utf8), to: &out)
        }
        return String(decoding: out, as: UTF8.self)
    }

    static let tail = "X-Forwarded-Proto: http\r\nX-Forwarded-Host: h\r\nX-Request-Id: rid\r\n\r\n"

    @Test func keptLinesAreCopiedAsReceivedAroundDroppedOnes() {
        let out = Self.rewrite("GET /a?b HTTP/1.1\r\nTE: trailers\r\nHost: h\r\nX-A:  spaced  \r\n"
            + "Connection: x-b\r\nx-b: dropped\r\nX-C: c\r\nKeep-Alive: 1\r\n\r\n")
        #expect(out == "GET /a?b HTTP/1.1\r\nHost: h\r\nX-A:  spaced  \r\nX-C: c\r\n"
            + "X-Forwarded-For: 10.9.8.7\r\n" + Self.tail)
    }

    @Test func lastForwardedForIsExtendedInPlace() {
        let out = Self.rewrite("POST /p/q HTTP/1.1\r\nX-Forwarded-For: 1.1.1.1\r\nHost: h\r\n"
            + "X-Forwarded-For: 2.2.2.2\r\nX-Z: z\r\nTransfer-Encoding: chunked\r\n\r\n", strip: 2)
        #expect(out == "POST /q HTTP/1.1\r\nX-Forwarded-For: 1.1.1.1\r\nHost: h\r\n"
            + "X-Forwarded-For: 2.2.2.2, 10.9.8.7\r\nX-Z: z\r\nTransfer-Encoding: chunked\r\n" + Self.tail)
    }

    @Test func noFieldsGetsTheDefaultHost() {
        let out = Self.rewrite("GET / HTTP/1.0\r\n\r\n")
        #expect(out == "GET / HTTP/1.1\r\nHost: up:80\r\nX-Forwarded-For: 10.9.8.7\r\nX-Forwarded-Proto: http\r\nX-Request-Id: rid\r\n\r\n")
    }
}

@Suite struct UpstreamIdentityFieldTests {
    static func rewrite(_ request: String, identity: String, stripped: [String] = []) -> String {
        let bytes = Array(request.utf8)
        var parser = HTTP1RequestParser(limits: HTTPLimits())
        guard case .complete = bytes.withUnsafeBytes({ parser.parse($0) }) else { return "unparsed" }
        var out: [UInt8] = []
        bytes.withUnsafeBytes { raw in
            UpstreamRequestHead.write(parser.head, bytes: raw, stripLength: 0, peer: Array("10.9.8.7".utf8),
                                      requestID: Array("rid".utf8), defaultHost: Array("up:80".utf8),
                                      identity: Array(identity.utf8), strippedNames: stripped.map { Array($0.utf8) },
                                      to: &out)
        }
        return String(decoding: out, as: UTF8.self)
    }

    @Test func forgedIdentityFieldsAreReplaced() {
        let out = Self.rewrite("GET / HTTP/1.1\r\nHost: h\r\nX-Consumer-Id: admin\r\nx_consumer_tier: gold\r\n"
            + "X-CONSUMER_ID: root\r\nX-Consumer-Idx: kept\r\nX-User-Email: forged\r\nX_User_Email: forged2\r\nX-B: b\r\n\r\n",
            identity: "X-Consumer-Id: user-42\r\nX-Consumer-Tier: free\r\nX-User-Email: a@b\r\n",
            stripped: ["x-user-email"])
        #expect(out == "GET / HTTP/1.1\r\nHost: h\r\nX-Consumer-Idx: kept\r\nX-B: b\r\n"
            + "X-Forwarded-For: 10.9.8.7\r\nX-Forwarded-Proto: http\r\nX-Forwarded-Host: h\r\nX-Request-Id: rid\r\n"
            + "X-Consumer-Id: user-42\r\nX-Consumer-Tier: free\r\nX-User-Email: a@b\r\n\r\n")
    }

    @Test func anonymousRoutesStillDropForgedIdentity() {
        let out = Self.rewrite("GET / HTTP/1.1\r\nX-Consumer-Tier: premium\r\nHost: h\r\n\r\n", identity: "")
        #expect(out == "GET / HTTP/1.1\r\nHost: h\r\nX-Forwarded-For: 10.9.8.7\r\nX-Forwarded-Proto: http\r\n"
            + "X-Forwarded-Host: h\r\nX-Request-Id: rid\r\n\r\n")
    }
}
