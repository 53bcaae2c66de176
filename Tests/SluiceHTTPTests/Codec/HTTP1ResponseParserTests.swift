import Testing
@testable import SluiceHTTP

@Suite struct HTTP1ResponseParserTests {
    func parse(_ text: String, method: HTTPMethod = .GET) -> (HTTPHeadParseResult, ResponseSnapshot?) {
        let data = bytes(text)
        var parser = HTTP1ResponseParser()
        let result = data.withUnsafeBytes { parser.parse($0, requestMethod: method) }
        if case .complete = result { return (result, ResponseSnapshot(parser.head, data)) }
        return (result, nil)
    }

    @Test func parsesStatusLineAndFields() throws {
        let text = "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nServer: up\r\n\r\nnot found"
        let (result, head) = parse(text)
        #expect(result == .complete(consumed: text.utf8.count - 9))
        let snapshot = try #require(head)
        #expect(snapshot.version == .http11 && snapshot.status == 404 && snapshot.reason == "Not Found")
        #expect(snapshot.fields == ["Content-Length: 9", "Server: up"])
        #expect(snapshot.known == [.contentLength, .server])
        #expect(snapshot.framing == .contentLength(9) && snapshot.keepAlive)
        #expect(snapshot.headLength == text.utf8.count - 9)
    }

    @Test func toleratesMissingReason() throws {
        #expect(parse("HTTP/1.1 204\r\n\r\n").1?.reason == "")
        #expect(parse("HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n").1?.reason == "")
        #expect(parse("HTTP/1.1 200 All \t good \u{80}\r\nContent-Length: 0\r\n\r\n").1?.reason == "All \t good \u{80}")
    }

    @Test func framingFollowsRFC9112Section6_3() throws {
        let cases: [(String, HTTPMethod, HTTPBodyFraming, Bool)] = [
            ("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", .GET, .contentLength(5), true),
            ("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", .HEAD, .none, true),
            ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", .HEAD, .none, true),
            ("HTTP/1.1 100 Continue\r\n\r\n", .POST, .none, true),
            ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\nConnection: upgrade\r\n\r\n", .GET, .none, true),
            ("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n", .GET, .none, true),
            ("HTTP/1.1 304 Not Modified\r\nContent-Length: 50\r\n\r\n", .GET, .none, true),
            ("HTTP/1.1 200 OK\r\n\r\n", .CONNECT, .none, true),
            ("HTTP/1.1 407 Auth\r\nContent-Length: 3\r\n\r\n", .CONNECT, .contentLength(3), true),
            ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", .GET, .chunked, true),
            ("HTTP/1.1 200 OK\r\nTransfer-Encoding: CHUNKED\r\n\r\n", .POST, .chunked, true),
            ("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", .GET, .untilClose, false),
            ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", .GET, .untilClose, false),
            ("HTTP/1.1 200 OK\r\n\r\n", .GET, .untilClose, false),
            ("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\n", .GET, .contentLength(1), false),
            ("HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\n", .GET, .contentLength(1), false),
            ("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\n", .GET, .contentLength(1), true),
            ("HTTP/1.2 200 OK\r\nContent-Length: 1\r\n\r\n", .GET, .contentLength(1), true),
        ]
        for (text, method, framing, keepAlive) in cases {
            let head = try #require(parse(text, method: method).1, "\(text.debugDescription)")
            #expect(head.framing == framing, "\(text.debugDescription)")
            #expect(head.keepAlive == keepAlive, "\(text.debugDescription)")
        }
        var parser = HTTP1ResponseParser()
        let switching = bytes("HTTP/1.1 101 Switching\r\n\r\n")
        #expect(switching.withUnsafeBytes { parser.parse($0, requestMethod: .GET) } == .complete(consumed: switching.count))
        #expect(parser.head.status == 101 && !parser.head.isInterim)
    }

    static let rejected: [(String, HTTPParseError.Kind)] = [
        ("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", .contentLengthWithTransferEncoding),
        ("HTTP/1.1 304 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", .contentLengthWithTransferEncoding),
        ("HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", .transferEncodingInHTTP10),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", .unsupportedTransferCoding),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", .invalidTransferEncoding),
        ("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", .conflictingContentLength),
        ("HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n", .invalidContentLength),
        ("HTTP/1.1 200 OK\r\nX : y\r\n\r\n", .whitespaceBeforeColon),
        ("HTTP/1.1 200 OK\r\nX: y\r\n z\r\n\r\n", .obsoleteLineFolding),
        ("HTTP/1.1 200 OK\r\n X: y\r\n\r\n", .whitespaceBeforeFirstField),
        ("HTTP/1.1 200 OK\r\nX: a\u{0}\r\n\r\n", .invalidFieldValue),
        ("HTTP/1.1 200 OK\nX: y\r\n\r\n", .bareLF),
        ("HTTP/1.1 200 OK\r\nX: y\n\r\n", .bareLF),
        ("HTTP/1.1 200 OK\rX: y\r\n\r\n", .bareCR),
        ("HTTP/1.1 200\n\r\n", .bareLF),
        ("HTTP/1.1 200 O\u{1}K\r\n\r\n", .invalidStatusLine),
        ("HTTP/1.1  200 OK\r\n\r\n", .invalidStatusCode),
        ("http/1.1 200 OK\r\n\r\n", .invalidStatusLine),
        ("\r\nHTTP/1.1 200 OK\r\n\r\n", .invalidStatusLine),
        ("HTTP/1.x 200 OK\r\n\r\n", .invalidStatusLine),
        ("HTTP/1.1\t200 OK\r\n\r\n", .invalidStatusLine),
        ("HTTP/2.0 200 OK\r\n\r\n", .unsupportedVersion),
        ("HTTP/1.1 2x0 OK\r\n\r\n", .invalidStatusCode),
        ("HTTP/1.1 099 OK\r\n\r\n", .invalidStatusCode),
        ("HTTP/1.1 600 OK\r\n\r\n", .invalidStatusCode),
        ("HTTP/1.1 2000 OK\r\n\r\n", .invalidStatusCode),
        ("HTTP/1.1 200OK\r\n\r\n", .invalidStatusLine),
    ]

    @Test(arguments: rejected)
    func rejects(_ text: String, _ kind: HTTPParseError.Kind) {
        let result = parse(text).0
        #expect(failureKind(result) == kind, "\(text.debugDescription) -> \(result)")
    }

    @Test func hostAndExpectAreNotRequestRulesHere() throws {
        #expect(parse("HTTP/1.1 200 OK\r\nHost: a\r\nHost: b\r\nExpect: x\r\nContent-Length: 0\r\n\r\n").1 != nil)
    }

    @Test func headTooLarge() {
        var limits = HTTPLimits()
        limits.maxHeadBytes = 64
        var parser = HTTP1ResponseParser(limits: limits)
        let data = bytes("HTTP/1.1 200 OK\r\nX: " + String(repeating: "a", count: 100))
        let result = data.withUnsafeBytes { parser.parse($0, requestMethod: .GET) }
        #expect(failureKind(result) == .headTooLarge)
    }

    @Test(arguments: CodecSamples.validResponses)
    func byteAtATimeAndSplitsMatchOneShot(_ text: String) throws {
        let data = bytes(text)
        let (oneShot, expected) = parse(text)
        #expect(oneShot == .complete(consumed: data.count))
        var parser = HTTP1ResponseParser()
        for count in 1..<data.count {
            let result = data.withUnsafeBytes { parser.parse(UnsafeRawBufferPointer(rebasing: $0[0..<count]), requestMethod: .GET) }
            #expect(result == .incomplete, "after \(count)")
        }
        #expect(data.withUnsafeBytes { parser.parse($0, requestMethod: .GET) } == oneShot)
        #expect(ResponseSnapshot(parser.head, data) == expected)
        for cut in 0...data.count {
            var split = HTTP1ResponseParser()
            _ = data.withUnsafeBytes { split.parse(UnsafeRawBufferPointer(rebasing: $0[0..<cut]), requestMethod: .GET) }
            #expect(data.withUnsafeBytes { split.parse($0, requestMethod: .GET) } == oneShot)
            #expect(ResponseSnapshot(split.head, data) == expected)
        }
    }

    @Test func interimThenFinalResponse() throws {
        let data = bytes("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n")
        var parser = HTTP1ResponseParser()
        #expect(data.withUnsafeBytes { parser.parse($0, requestMethod: .POST) } == .complete(consumed: 25))
        #expect(parser.head.isInterim)
        let rest = Array(data[25...])
        #expect(rest.withUnsafeBytes { parser.parse($0, requestMethod: .POST) } == .complete(consumed: rest.count))
        #expect(parser.head.status == 201 && !parser.head.isInterim && parser.head.framing == .contentLength(0))
    }
}
