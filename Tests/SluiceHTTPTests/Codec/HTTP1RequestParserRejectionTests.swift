import Testing
@testable import SluiceHTTP

/// Every malformed or smuggling-shaped request head must fail with the exact kind and status,
/// one-shot and when the bytes arrive one at a time.
@Suite struct HTTP1RequestParserRejectionTests {
    static let host = "Host: a\r\n"

    static let rejected: [(String, HTTPParseError.Kind)] = [
        // Request line (RFC 9112 §3).
        (" GET / HTTP/1.1\r\n\(host)\r\n", .invalidMethod),
        ("G(T / HTTP/1.1\r\n\(host)\r\n", .invalidMethod),
        ("GET\t/ HTTP/1.1\r\n\(host)\r\n", .invalidMethod),
        ("GET  / HTTP/1.1\r\n\(host)\r\n", .invalidTarget),
        ("GET /a#frag HTTP/1.1\r\n\(host)\r\n", .invalidTarget),
        ("GET /a\u{7F} HTTP/1.1\r\n\(host)\r\n", .invalidTarget),
        ("GET /a\u{1}b HTTP/1.1\r\n\(host)\r\n", .invalidTarget),
        ("GET /\u{E9} HTTP/1.1\r\n\(host)\r\n", .invalidTarget),
        ("GET /a\tb HTTP/1.1\r\n\(host)\r\n", .invalidTarget),
        ("GET example.com:80 HTTP/1.1\r\n\(host)\r\n", .invalidTarget),
        ("GET a/b HTTP/1.1\r\n\(host)\r\n", .invalidTarget),
        ("CONNECT /path HTTP/1.1\r\n\(host)\r\n", .invalidTarget),
        ("CONNECT example.com HTTP/1.1\r\n\(host)\r\n", .invalidTarget),
        ("CONNECT example.com: HTTP/1.1\r\n\(host)\r\n", .invalidTarget),
        ("GET * HTTP/1.1\r\n\(host)\r\n", .invalidTarget),
        ("OPTIONS *x HTTP/1.1\r\n\(host)\r\n", .invalidTarget),
        ("GET ftp://x/ HTTP/1.1\r\n\(host)\r\n", .invalidTarget),
        ("GET http:///path HTTP/1.1\r\n\(host)\r\n", .invalidTarget),
        ("GET http:// HTTP/1.1\r\n\(host)\r\n", .invalidTarget),
        ("GET http://user@host/ HTTP/1.1\r\n\(host)\r\n", .invalidTarget),
        ("GET /\r\n\(host)\r\n", .invalidVersion),
        ("GET / http/1.1\r\n\(host)\r\n", .invalidVersion),
        ("GET / HTTP/1.1 \r\n\(host)\r\n", .invalidVersion),
        ("GET / HTTP/1.10\r\n\(host)\r\n", .invalidVersion),
        ("GET / HTTP/1\r\n\(host)\r\n", .invalidVersion),
        ("GET / HTTP/1.x\r\n\(host)\r\n", .invalidVersion),
        ("GET / HTTPS/1.1\r\n\(host)\r\n", .invalidVersion),
        ("GET / HTTP/2.0\r\n\(host)\r\n", .unsupportedVersion),
        ("GET / HTTP/3.0\r\n\(host)\r\n", .unsupportedVersion),
        ("GET / HTTP/0.9\r\n\(host)\r\n", .unsupportedVersion),
        ("\r\n\r\n\r\n\r\n\r\nGET / HTTP/1.1\r\n\(host)\r\n", .tooManyLeadingEmptyLines),
        // Line endings (RFC 9112 §2.2): strict, no bare CR or LF anywhere.
        ("GET / HTTP/1.1\nHost: a\n\n", .bareLF),
        ("GET / HTTP/1.1\r\nHost: a\n\r\n", .bareLF),
        ("GET / HTTP/1.1\r\nHost: a\r\n\n", .bareLF),
        ("GET / HTTP/1.1\r\nHost\n: a\r\n\r\n", .bareLF),
        ("\nGET / HTTP/1.1\r\n\(host)\r\n", .bareLF),
        ("GET / HTTP/1.1\rX\r\n\(host)\r\n", .bareCR),
        ("GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n", .bareCR),
        ("GET / HTTP/1.1\r\nHost: a\r\n\rX\r\n", .bareCR),
        ("\rGET / HTTP/1.1\r\n\(host)\r\n", .bareCR),
        ("GE\rT / HTTP/1.1\r\n\(host)\r\n", .bareCR),
        ("GET\r\n\(host)\r\n", .invalidMethod),
        ("GET\n\(host)\r\n", .bareLF),
        ("GET /a\rb HTTP/1.1\r\n\(host)\r\n", .bareCR),
        ("GET /a\nb HTTP/1.1\r\n\(host)\r\n", .bareLF),
        ("GET / HTTP/1.1\r\n\(host)Ho\rst: a\r\n\r\n", .bareCR),
        ("GET / HTTP/1.1\r\n\(host)Host\r\n\r\n", .invalidFieldName),
        // Field lines (RFC 9112 §5, RFC 9110 §5.5).
        ("GET / HTTP/1.1\r\n Host: a\r\n\r\n", .whitespaceBeforeFirstField),
        ("GET / HTTP/1.1\r\n\tHost: a\r\n\r\n", .whitespaceBeforeFirstField),
        ("GET / HTTP/1.1\r\nHost: a\r\nX: b\r\n folded\r\n\r\n", .obsoleteLineFolding),
        ("GET / HTTP/1.1\r\nHost: a\r\nX: b\r\n\tfolded\r\n\r\n", .obsoleteLineFolding),
        ("GET / HTTP/1.1\r\nHost : a\r\n\r\n", .whitespaceBeforeColon),
        ("GET / HTTP/1.1\r\nHost\t: a\r\n\r\n", .whitespaceBeforeColon),
        ("GET / HTTP/1.1\r\n\(host)Content-Length : 5\r\n\r\n", .whitespaceBeforeColon),
        ("GET / HTTP/1.1\r\n\(host): a\r\n\r\n", .invalidFieldName),
        ("GET / HTTP/1.1\r\n\(host)Ho(st: a\r\n\r\n", .invalidFieldName),
        ("GET / HTTP/1.1\r\n\(host)Ho\u{1}st: a\r\n\r\n", .invalidFieldName),
        ("GET / HTTP/1.1\r\n\(host)NoColon\r\n\r\n", .invalidFieldName),
        ("GET / HTTP/1.1\r\n\(host)X\u{E9}: a\r\n\r\n", .invalidFieldName),
        ("GET / HTTP/1.1\r\n\(host)X: a\u{0}b\r\n\r\n", .invalidFieldValue),
        ("GET / HTTP/1.1\r\n\(host)X: \u{0}\r\n\r\n", .invalidFieldValue),
        ("GET / HTTP/1.1\r\n\(host)X: a\u{1}\r\n\r\n", .invalidFieldValue),
        ("GET / HTTP/1.1\r\n\(host)X: a\u{1F}\r\n\r\n", .invalidFieldValue),
        ("GET / HTTP/1.1\r\n\(host)X: a\u{7F}\r\n\r\n", .invalidFieldValue),
        // Host (RFC 9112 §3.2).
        ("GET / HTTP/1.1\r\n\r\n", .missingHost),
        ("GET / HTTP/1.1\r\nX: y\r\n\r\n", .missingHost),
        ("GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", .duplicateHost),
        ("GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n", .duplicateHost),
        ("GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", .duplicateHost),
        ("GET / HTTP/1.1\r\nHost: a b\r\n\r\n", .invalidHost),
        ("GET / HTTP/1.1\r\nHost: a,b\r\n\r\n", .invalidHost),
        ("GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", .invalidHost),
        ("GET / HTTP/1.1\r\nHost: user@a\r\n\r\n", .invalidHost),
        ("GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", .invalidHost),
        ("GET / HTTP/1.1\r\nHost: []\r\n\r\n", .invalidHost),
        ("GET / HTTP/1.1\r\nHost: a:port\r\n\r\n", .invalidHost),
        ("GET / HTTP/1.1\r\nHost: a:123456\r\n\r\n", .invalidHost),
        ("GET / HTTP/1.1\r\nHost: :80\r\n\r\n", .invalidHost),
        ("GET / HTTP/1.1\r\nHost: a%4\r\n\r\n", .invalidHost),
        ("GET / HTTP/1.1\r\nHost: a\u{E9}\r\n\r\n", .invalidHost),
        // Content-Length (RFC 9110 §8.6, RFC 9112 §6.3).
        ("POST / HTTP/1.1\r\n\(host)Content-Length: -1\r\n\r\n", .invalidContentLength),
        ("POST / HTTP/1.1\r\n\(host)Content-Length: +5\r\n\r\n", .invalidContentLength),
        ("POST / HTTP/1.1\r\n\(host)Content-Length: 0x5\r\n\r\n", .invalidContentLength),
        ("POST / HTTP/1.1\r\n\(host)Content-Length: 5 5\r\n\r\n", .invalidContentLength),
        ("POST / HTTP/1.1\r\n\(host)Content-Length: 5a\r\n\r\n", .invalidContentLength),
        ("POST / HTTP/1.1\r\n\(host)Content-Length: \r\n\r\n", .invalidContentLength),
        ("POST / HTTP/1.1\r\n\(host)Content-Length: 5,\r\n\r\n", .invalidContentLength),
        ("POST / HTTP/1.1\r\n\(host)Content-Length: 5.0\r\n\r\n", .invalidContentLength),
        ("POST / HTTP/1.1\r\n\(host)Content-Length: 9223372036854775808\r\n\r\n", .invalidContentLength),
        ("POST / HTTP/1.1\r\n\(host)Content-Length: 99999999999999999999999\r\n\r\n", .invalidContentLength),
        ("POST / HTTP/1.1\r\n\(host)Content-Length: 5, 6\r\n\r\n", .conflictingContentLength),
        ("POST / HTTP/1.1\r\n\(host)Content-Length: 5\r\nContent-Length: 6\r\n\r\n", .conflictingContentLength),
        ("POST / HTTP/1.1\r\n\(host)Content-Length: 5\r\ncontent-length: 05, 6\r\n\r\n", .conflictingContentLength),
        // Transfer-Encoding (RFC 9112 §6.1, §6.3): every request smuggling shape.
        ("POST / HTTP/1.1\r\n\(host)Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", .contentLengthWithTransferEncoding),
        ("POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", .contentLengthWithTransferEncoding),
        ("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", .transferEncodingInHTTP10),
        ("POST / HTTP/1.1\r\n\(host)Transfer-Encoding: gzip\r\n\r\n", .transferEncodingNotChunked),
        ("POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked, gzip\r\n\r\n", .transferEncodingNotChunked),
        ("POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n",
         .transferEncodingNotChunked),
        ("POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunkedx\r\n\r\n", .transferEncodingNotChunked),
        ("POST / HTTP/1.1\r\n\(host)Transfer-Encoding: gzip, chunked\r\n\r\n", .unsupportedTransferCoding),
        ("POST / HTTP/1.1\r\n\(host)Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n",
         .unsupportedTransferCoding),
        ("POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked, chunked\r\n\r\n", .invalidTransferEncoding),
        ("POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
         .invalidTransferEncoding),
        ("POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked;q=1\r\n\r\n", .invalidTransferEncoding),
        ("POST / HTTP/1.1\r\n\(host)Transfer-Encoding: \"chunked\"\r\n\r\n", .invalidTransferEncoding),
        // Expect (RFC 9110 §10.1.1).
        ("POST / HTTP/1.1\r\n\(host)Expect: 200-ok\r\n\r\n", .unsupportedExpectation),
        ("POST / HTTP/1.1\r\n\(host)Expect: 100-continue, x\r\n\r\n", .unsupportedExpectation),
        ("POST / HTTP/1.0\r\nExpect: something\r\n\r\n", .unsupportedExpectation),
        // Connection options are tokens.
        ("GET / HTTP/1.1\r\n\(host)Connection: \"close\"\r\n\r\n", .invalidFieldValue),
    ]

    @Test(arguments: rejected)
    func rejectsOneShot(_ request: String, _ kind: HTTPParseError.Kind) {
        let result = parseRequestOnce(bytes(request)).0
        #expect(failureKind(result) == kind, "\(request.debugDescription) -> \(result)")
    }

    @Test(arguments: rejected)
    func rejectsByteAtATime(_ request: String, _ kind: HTTPParseError.Kind) {
        let data = bytes(request)
        var parser = HTTP1RequestParser()
        var result = HTTPHeadParseResult.incomplete
        var count = 0
        while result == .incomplete && count < data.count {
            count += 1
            result = parseRequest(&parser, data, count: count)
        }
        #expect(failureKind(result) == kind, "\(request.debugDescription) -> \(result)")
    }

    @Test func statusCodes() {
        let cases: [(String, Int)] = [
            ("GET / HTTP/2.0\r\n\r\n", 505),
            ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501),
            ("POST / HTTP/1.1\r\nHost: a\r\nExpect: x\r\n\r\n", 417),
            ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\n\r\n", 400),
        ]
        for (request, status) in cases {
            #expect(failureStatus(parseRequestOnce(bytes(request)).0) == status, "\(request.debugDescription)")
        }
    }

    @Test func requestLineTooLongIsDetectedBeforeItsEnd() {
        var limits = HTTPLimits()
        limits.maxRequestLineBytes = 64
        let exact = "GET /" + String(repeating: "a", count: 64 - 14) + " HTTP/1.1"
        #expect(exact.utf8.count == 64)
        let accepted = parseRequestOnce(bytes(exact + "\r\nHost: a\r\n\r\n"), limits: limits).0
        #expect(accepted == .complete(consumed: 64 + 13))
        let over = "GET /" + String(repeating: "a", count: 65 - 14) + " HTTP/1.1\r\nHost: a\r\n\r\n"
        let rejected = parseRequestOnce(bytes(over), limits: limits).0
        #expect(failureKind(rejected) == .requestLineTooLong && failureStatus(rejected) == 414)
        // No CRLF yet, but already more bytes than a request line may have: fail now.
        let endless = bytes("GET /" + String(repeating: "a", count: 100))
        var parser = HTTP1RequestParser(limits: limits)
        #expect(parseRequest(&parser, endless, count: 60) == .incomplete)
        #expect(failureKind(parseRequest(&parser, endless)) == .requestLineTooLong)
    }

    @Test func headTooLargeIsDetectedBeforeItsEnd() {
        var limits = HTTPLimits()
        limits.maxHeadBytes = 100
        let base = "GET / HTTP/1.1\r\nHost: a\r\nX: "
        let fitting = base + String(repeating: "v", count: 100 - base.utf8.count - 4) + "\r\n\r\n"
        #expect(fitting.utf8.count == 100)
        #expect(parseRequestOnce(bytes(fitting), limits: limits).0 == .complete(consumed: 100))
        let over = base + String(repeating: "v", count: 100 - base.utf8.count - 3) + "\r\n\r\n"
        let result = parseRequestOnce(bytes(over), limits: limits).0
        #expect(failureKind(result) == .headTooLarge && failureStatus(result) == 431)
        // Still incomplete but already at the limit: fail without waiting for the end.
        let endless = bytes(base + String(repeating: "v", count: 200))
        var parser = HTTP1RequestParser(limits: limits)
        #expect(parseRequest(&parser, endless, count: 99) == .incomplete)
        #expect(failureKind(parseRequest(&parser, endless, count: 100)) == .headTooLarge)
        // Many small complete lines count too.
        let manyLines = bytes("GET / HTTP/1.1\r\nHost: a\r\n" + String(repeating: "A: b\r\n", count: 30))
        #expect(failureKind(parseRequestOnce(manyLines, limits: limits).0) == .headTooLarge)
    }

    @Test func tooManyHeaders() {
        var limits = HTTPLimits()
        limits.maxHeaderCount = 3
        let three = bytes("GET / HTTP/1.1\r\nHost: a\r\nB: 1\r\nC: 2\r\n\r\n")
        #expect(parseRequestOnce(three, limits: limits).0 == .complete(consumed: three.count))
        let four = parseRequestOnce(bytes("GET / HTTP/1.1\r\nHost: a\r\nB: 1\r\nC: 2\r\nD: 3\r\n\r\n"), limits: limits).0
        #expect(failureKind(four) == .tooManyHeaders && failureStatus(four) == 431)
    }
}
