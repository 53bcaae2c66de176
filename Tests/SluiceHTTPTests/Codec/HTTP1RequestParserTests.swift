import Testing
@testable import SluiceHTTP

@Suite struct HTTP1RequestParserTests {
    // MARK: accepted heads

    @Test func parsesBrowserRequest() throws {
        let request = bytes(CodecSamples.browserGET)
        let (result, head) = parseRequestOnce(request)
        #expect(result == .complete(consumed: request.count))
        let snapshot = try #require(head)
        #expect(snapshot.method == .GET)
        #expect(snapshot.target == "/api/users/42?include=orders&sort=desc")
        #expect(snapshot.targetForm == .origin)
        #expect(snapshot.path == "/api/users/42")
        #expect(snapshot.query == "?include=orders&sort=desc")
        #expect(snapshot.version == .http11)
        #expect(snapshot.fields.count == 9)
        #expect(snapshot.fields[0] == "Host: api.example.com")
        #expect(snapshot.fields[4] == "Accept-Encoding: gzip, deflate, br")
        #expect(snapshot.known[0] == .host && snapshot.known[5] == .connection && snapshot.known[1] == .other)
        #expect(snapshot.hostFieldIndex == 0)
        #expect(snapshot.framing == HTTPBodyFraming.none)
        #expect(snapshot.keepAlive)
        #expect(!snapshot.expectContinue && !snapshot.connectionNamesOtherFields)
        #expect(snapshot.headLength == request.count)
    }

    @Test(arguments: CodecSamples.validRequests)
    func acceptsValidRequest(_ request: String) {
        let (result, head) = parseRequestOnce(bytes(request))
        #expect(result == .complete(consumed: request.utf8.count))
        #expect(head != nil)
    }

    @Test func recognisesMethods() throws {
        let expected: [(String, HTTPMethod)] = [
            ("GET", .GET), ("HEAD", .HEAD), ("POST", .POST), ("PUT", .PUT), ("DELETE", .DELETE),
            ("PATCH", .PATCH), ("OPTIONS", .OPTIONS), ("TRACE", .TRACE), ("get", .other), ("GETS", .other),
            ("PUSH", .other), ("M-SEARCH", .other), ("DELET", .other), ("OPTIONX", .other),
        ]
        for (name, method) in expected {
            let (_, head) = parseRequestOnce(bytes("\(name) /x HTTP/1.1\r\nHost: a\r\n\r\n"))
            let snapshot = try #require(head, "\(name)")
            #expect(snapshot.method == method, "\(name)")
            #expect(snapshot.methodText == name)
        }
        let (_, connect) = parseRequestOnce(bytes("CONNECT a:1 HTTP/1.1\r\nHost: a:1\r\n\r\n"))
        #expect(connect?.method == .CONNECT)
    }

    @Test func classifiesKnownFieldsCaseInsensitively() throws {
        let names: [(String, HTTPKnownField)] = [
            ("host", .host), ("CONTENT-LENGTH", .contentLength), ("Transfer-Encoding", .transferEncoding),
            ("connection", .connection), ("Keep-Alive", .keepAlive), ("Expect", .expect), ("Upgrade", .upgrade),
            ("TE", .te), ("Trailer", .trailer), ("Proxy-Connection", .proxyConnection),
            ("Proxy-Authorization", .proxyAuthorization), ("Proxy-Authenticate", .proxyAuthenticate),
            ("authorization", .authorization), ("Content-Type", .contentType), ("Date", .date), ("Server", .server),
            ("X-Forwarded-For", .xForwardedFor), ("x-forwarded-proto", .xForwardedProto),
            ("X-Forwarded-Host", .xForwardedHost), ("X-Request-ID", .xRequestID), ("Hosts", .other),
            ("Hos", .other), ("Content-Lengtx", .other), ("X-Request-IE", .other), ("Dat_", .other),
            ("X-Consumer-Id", .xConsumerID), ("x_consumer_id", .xConsumerID), ("X-Consumer-Tier", .xConsumerTier),
            ("X_CONSUMER-TIER", .xConsumerTier), ("X-Consumer-Ix", .other), ("X-Forwarded_For", .other),
            ("Authorizatioo", .other),
        ]
        for (name, known) in names {
            let values: [HTTPKnownField: String] = [.host: "a", .contentLength: "0", .transferEncoding: "chunked",
                                                    .expect: "100-continue"]
            let value = values[known] ?? "v"
            let request = "POST / HTTP/1.1\r\n\(known == .host ? "" : "Host: h\r\n")\(name): \(value)\r\n\r\n"
            let (result, head) = parseRequestOnce(bytes(request))
            let snapshot = try #require(head, "\(name): \(result)")
            #expect(snapshot.known.last == known, "\(name)")
        }
    }

    @Test func targetForms() throws {
        let absolute = try #require(parseRequestOnce(bytes("GET http://Example.com:81/p/q?x=1 HTTP/1.1\r\nHost: e\r\n\r\n")).1)
        #expect(absolute.targetForm == .absolute)
        #expect(absolute.authority == "Example.com:81")
        #expect(absolute.path == "/p/q")
        #expect(absolute.query == "?x=1")
        let bare = try #require(parseRequestOnce(bytes("GET https://e.com?q HTTP/1.1\r\nHost: e\r\n\r\n")).1)
        #expect(bare.authority == "e.com" && bare.path == "" && bare.query == "?q")
        let connect = try #require(parseRequestOnce(bytes("CONNECT [::1]:443 HTTP/1.1\r\nHost: x\r\n\r\n")).1)
        #expect(connect.targetForm == .authority && connect.authority == "[::1]:443" && connect.path == "")
        let asterisk = try #require(parseRequestOnce(bytes("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n")).1)
        #expect(asterisk.targetForm == .asterisk && asterisk.target == "*")
        let noQuery = try #require(parseRequestOnce(bytes("GET /a/b HTTP/1.1\r\nHost: x\r\n\r\n")).1)
        #expect(noQuery.path == "/a/b" && noQuery.query == "")
        let twoMarks = try #require(parseRequestOnce(bytes("GET /a?b?c HTTP/1.1\r\nHost: x\r\n\r\n")).1)
        #expect(twoMarks.path == "/a" && twoMarks.query == "?b?c")
    }

    @Test func versions() throws {
        #expect(parseRequestOnce(bytes("GET / HTTP/1.0\r\n\r\n")).1?.version == .http10)
        #expect(parseRequestOnce(bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n")).1?.version == .http11)
        #expect(parseRequestOnce(bytes("GET / HTTP/1.9\r\nHost: a\r\n\r\n")).1?.version == .http11)
    }

    @Test func skipsLeadingEmptyLinesUpToTheLimit() throws {
        var limits = HTTPLimits()
        limits.maxLeadingEmptyLines = 2
        let ok = bytes("\r\n\r\nGET / HTTP/1.0\r\n\r\n")
        let (result, head) = parseRequestOnce(ok, limits: limits)
        #expect(result == .complete(consumed: ok.count))
        #expect(head?.methodText == "GET" && head?.headLength == ok.count)
        let tooMany = parseRequestOnce(bytes("\r\n\r\n\r\nGET / HTTP/1.0\r\n\r\n"), limits: limits).0
        #expect(failureKind(tooMany) == .tooManyLeadingEmptyLines)
        #expect(failureStatus(tooMany) == 400)
    }

    @Test func contentLengthForms() throws {
        let cases: [(String, Int)] = [
            ("Content-Length: 0\r\n", 0), ("Content-Length: 42\r\n", 42), ("Content-Length: 0005\r\n", 5),
            ("Content-Length: 7, 7\r\n", 7), ("Content-Length: 7\r\nContent-Length: 7\r\n", 7),
            ("Content-Length:9223372036854775807\r\n", Int.max),
        ]
        for (fields, length) in cases {
            let head = parseRequestOnce(bytes("POST / HTTP/1.1\r\nHost: a\r\n\(fields)\r\n")).1
            #expect(head?.framing == .contentLength(length), "\(fields)")
        }
    }

    @Test func transferEncodingChunked() throws {
        for value in ["chunked", "Chunked", "CHUNKED", " chunked ", "chunked\t"] {
            let head = parseRequestOnce(bytes("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \(value)\r\n\r\n")).1
            #expect(head?.framing == .chunked, "\(value)")
        }
    }

    @Test func connectionAndKeepAlive() throws {
        let cases: [(String, Bool, Bool)] = [
            ("GET / HTTP/1.1\r\nHost: a\r\n\r\n", true, false),
            ("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", false, false),
            ("GET / HTTP/1.1\r\nHost: a\r\nConnection: CLOSE\r\n\r\n", false, false),
            ("GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, Upgrade\r\n\r\n", true, true),
            ("GET / HTTP/1.1\r\nHost: a\r\nConnection: x-custom\r\nConnection: close\r\n\r\n", false, true),
            ("GET / HTTP/1.0\r\n\r\n", false, false),
            ("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", true, false),
            ("GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n", false, false),
            ("GET / HTTP/1.1\r\nHost: a\r\nConnection: ,, close ,\r\n\r\n", false, false),
        ]
        for (request, keepAlive, others) in cases {
            let head = try #require(parseRequestOnce(bytes(request)).1, "\(request)")
            #expect(head.keepAlive == keepAlive, "\(request)")
            #expect(head.connectionNamesOtherFields == others, "\(request)")
        }
    }

    @Test func expectContinue() throws {
        #expect(parseRequestOnce(bytes("PUT / HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\n\r\n")).1?.expectContinue == true)
        // RFC 9110 §10.1.1: ignored in HTTP/1.0.
        #expect(parseRequestOnce(bytes("PUT / HTTP/1.0\r\nExpect: 100-continue\r\n\r\n")).1?.expectContinue == false)
        #expect(parseRequestOnce(bytes("PUT / HTTP/1.1\r\nHost: a\r\n\r\n")).1?.expectContinue == false)
    }

    @Test func hostValues() throws {
        for host in ["a", "example.com", "example.com:8080", "10.0.0.1:80", "[::1]", "[2001:db8::1]:443",
                     "xn--bcher-kva.example", "a_b~c!$&'()*+;=", "%41b", "a:"] {
            let head = parseRequestOnce(bytes("GET / HTTP/1.1\r\nHost: \(host)\r\n\r\n")).1
            #expect(head?.hostFieldIndex == 0, "\(host)")
        }
        // Empty only when the target carries the authority (ConformanceTests has the rule).
        #expect(parseRequestOnce(bytes("GET http://a/ HTTP/1.1\r\nHost: \r\n\r\n")).1?.hostFieldIndex == 0)
        let second = parseRequestOnce(bytes("GET / HTTP/1.1\r\nX: y\r\nHost: a\r\n\r\n")).1
        #expect(second?.hostFieldIndex == 1)
        #expect(parseRequestOnce(bytes("GET / HTTP/1.0\r\n\r\n")).1?.hostFieldIndex == nil)
    }

    @Test func fieldValuesAreTrimmedAndKeepInnerBytes() throws {
        let head = try #require(parseRequestOnce(bytes("GET / HTTP/1.1\r\nHost: a\r\nX:  \t a \t b \t \r\nY:\r\nZ: \t \r\n\r\n")).1)
        #expect(head.fields == ["Host: a", "X: a \t b", "Y: ", "Z: "])
        let obsText: [UInt8] = bytes("GET / HTTP/1.1\r\nHost: a\r\nX: ") + [0x80, 0xFE, 0xFF] + bytes("\r\n\r\n")
        let (result, _) = parseRequestOnce(obsText)
        #expect(result == .complete(consumed: obsText.count))
    }

    // MARK: incremental and pipelined

    @Test(arguments: CodecSamples.validRequests)
    func byteAtATimeMatchesOneShot(_ request: String) throws {
        let data = bytes(request)
        let (oneShot, expected) = parseRequestOnce(data)
        var parser = HTTP1RequestParser()
        for count in 1..<data.count {
            let result = parseRequest(&parser, data, count: count)
            #expect(result == .incomplete, "after \(count) bytes")
        }
        #expect(parseRequest(&parser, data) == oneShot)
        #expect(RequestSnapshot(parser.head, data) == expected)
    }

    @Test(arguments: CodecSamples.validRequests)
    func everyTwoWaySplitMatchesOneShot(_ request: String) throws {
        let data = bytes(request)
        let (oneShot, expected) = parseRequestOnce(data)
        for cut in 0...data.count {
            let (result, snapshot) = parseRequestInPieces(data, cuts: [cut])
            #expect(result == oneShot, "cut at \(cut)")
            #expect(snapshot == expected, "cut at \(cut)")
        }
    }

    /// A long line trickling in byte by byte is read once (resumed mid-line), not re-read per byte:
    /// with quadratic re-reading this test would take seconds instead of milliseconds.
    @Test func longLinesArrivingByteByByteParseLikeOneShot() throws {
        let target = "/" + String(repeating: "p", count: 6_000) + "?" + String(repeating: "q", count: 1_000)
        let value = String(repeating: "v", count: 20_000)
        let data = bytes("GET \(target) HTTP/1.1\r\nHost: a\r\nX-Long: \(value)\r\n\r\n")
        let (oneShot, expected) = parseRequestOnce(data)
        #expect(oneShot == .complete(consumed: data.count))
        var parser = HTTP1RequestParser()
        var result = HTTPHeadParseResult.incomplete
        for count in 1...data.count where result == .incomplete {
            result = parseRequest(&parser, data, count: count)
        }
        #expect(result == oneShot)
        #expect(RequestSnapshot(parser.head, data) == expected)
        #expect(expected?.query.count == 1_001)
    }

    @Test func pipelinedRequestsAreParsedOneAfterTheOther() throws {
        let first = bytes("POST /one HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\n")
        let body = bytes("abc")
        let second = bytes("GET /two HTTP/1.1\r\nHost: b\r\n\r\n")
        let third = bytes("GET /three HTTP/1.1\r\nHost: c\r\n\r\nGET /fo")
        var parser = HTTP1RequestParser()
        let all = first + body + second + third
        #expect(parseRequest(&parser, all) == .complete(consumed: first.count))
        #expect(RequestSnapshot(parser.head, all).target == "/one")
        // The caller consumes the head and the body, then parses from the next request.
        let rest = Array(all[(first.count + body.count)...])
        #expect(parseRequest(&parser, rest) == .complete(consumed: second.count))
        #expect(RequestSnapshot(parser.head, rest).target == "/two")
        let last = Array(rest[second.count...])
        #expect(parseRequest(&parser, last) == .complete(consumed: third.count - 7))
        #expect(RequestSnapshot(parser.head, last).fields == ["Host: c"])
        let partial = Array(last[(third.count - 7)...])
        #expect(parseRequest(&parser, partial) == .incomplete)
    }

    @Test func resetForgetsPartialState() throws {
        var parser = HTTP1RequestParser()
        let partial = bytes("GET /a HTTP/1.1\r\nHost: a\r\nX-Partial: y")
        #expect(parseRequest(&parser, partial) == .incomplete)
        parser.reset()
        let other = bytes("GET /b HTTP/1.1\r\nHost: b\r\n\r\n")
        #expect(parseRequest(&parser, other) == .complete(consumed: other.count))
        #expect(RequestSnapshot(parser.head, other).fields == ["Host: b"])
    }

    @Test func fieldStorageIsReusedAcrossRequests() throws {
        var parser = HTTP1RequestParser()
        let data = bytes(CodecSamples.browserGET)
        _ = parseRequest(&parser, data)
        let capacity = parser.head.fields.capacity
        for _ in 0..<10 { _ = parseRequest(&parser, data) }
        #expect(parser.head.fields.capacity == capacity)
        #expect(parser.head.fields.count == 9)
    }
}
