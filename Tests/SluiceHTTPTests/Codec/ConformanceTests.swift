import Testing
@testable import SluiceHTTP

/// One rule of RFC 9110/9112 applied to one request head: the verdict a strict gateway must reach.
/// The cases are our own, written after reading what public conformance corpora probe (llhttp's
/// request fixtures, Http11Probe's compliance/smuggling/malformed suites, HTTP Garden, haproxy h1).
struct RequestConformanceCase: Sendable, CustomTestStringConvertible {
    enum Verdict: Sendable {
        /// The head is valid and its body is framed like this.
        case accept(HTTPBodyFraming)
        /// The head must be refused with this error (and its status).
        case reject(HTTPParseError.Kind, status: Int)
    }

    var rule: String
    var request: String
    var verdict: Verdict

    init(_ rule: String, _ request: String, _ verdict: Verdict) {
        self.rule = rule
        self.request = request
        self.verdict = verdict
    }

    var testDescription: String { rule }
}

/// Replays every case one-shot and byte by byte through `HTTP1RequestParser`.
@Suite struct ConformanceTests {
    static let requestCases: [RequestConformanceCase] =
        requestLineCases + targetCases + fieldCases + hostCases + framingCases

    @Test(arguments: requestCases)
    func requestOneShot(_ rule: RequestConformanceCase) {
        check(rule, parseRequestOnce(bytes(rule.request)))
    }

    @Test(arguments: requestCases)
    func requestByteAtATime(_ rule: RequestConformanceCase) {
        let cuts = Array(1..<max(1, rule.request.utf8.count))
        check(rule, parseRequestInPieces(bytes(rule.request), cuts: cuts))
    }

    private func check(_ rule: RequestConformanceCase, _ outcome: (HTTPHeadParseResult, RequestSnapshot?)) {
        let (result, snapshot) = outcome
        switch rule.verdict {
        case .accept(let framing):
            #expect(result == .complete(consumed: rule.request.utf8.count), "\(rule.rule): \(result)")
            #expect(snapshot?.framing == framing, "\(rule.rule)")
        case .reject(let kind, let status):
            #expect(failureKind(result) == kind, "\(rule.rule): \(result)")
            #expect(failureStatus(result) == status, "\(rule.rule)")
        }
    }

    // MARK: Request line (RFC 9112 §2.3, §3, §3.1; RFC 9110 §9.1)

    static let requestLineCases: [RequestConformanceCase] = [
        // §3.1: method = token; any tchar is allowed, methods are case-sensitive and extensible.
        .init("method-extension-tchars (RFC 9110 §9.1)", "M-SEARCH! / HTTP/1.1\r\nHost: a\r\n\r\n", .accept(.none)),
        .init("method-all-tchar-punctuation (RFC 9110 §5.6.2)",
              "!#$%&'*+-.^_`|~09AZaz / HTTP/1.1\r\nHost: a\r\n\r\n", .accept(.none)),
        // Lowercase `get` is a different, unknown method: valid syntax, forwarded as an extension method.
        .init("method-lowercase-is-extension (RFC 9110 §9.1)", "get / HTTP/1.1\r\nHost: a\r\n\r\n", .accept(.none)),
        // A method longer than any we could implement is garbage in the request line: 400, not 414.
        .init("method-over-long (RFC 9112 §3)", String(repeating: "A", count: 65) + " / HTTP/1.1\r\nHost: a\r\n\r\n",
              .reject(.invalidMethod, status: 400)),
        .init("method-64-bytes-ok (RFC 9112 §3)", String(repeating: "A", count: 64) + " / HTTP/1.1\r\nHost: a\r\n\r\n",
              .accept(.none)),
        .init("method-with-NUL (RFC 9110 §5.6.2)", "GE\u{0}T / HTTP/1.1\r\nHost: a\r\n\r\n", .reject(.invalidMethod, status: 400)),
        .init("method-non-ASCII (RFC 9110 §5.6.2)", "G\u{C9}T / HTTP/1.1\r\nHost: a\r\n\r\n", .reject(.invalidMethod, status: 400)),
        .init("method-leading-space (RFC 9112 §3)", " GET / HTTP/1.1\r\nHost: a\r\n\r\n", .reject(.invalidMethod, status: 400)),
        // §3: exactly one SP between parts; tabs and runs of spaces are invalid request lines
        // ("SHOULD NOT autocorrect").
        .init("request-line-tab-separator (RFC 9112 §3)", "GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n",
              .reject(.invalidMethod, status: 400)),
        .init("request-line-tab-before-version (RFC 9112 §3)", "GET /\tHTTP/1.1\r\nHost: a\r\n\r\n",
              .reject(.invalidTarget, status: 400)),
        .init("request-line-double-space (RFC 9112 §3)", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n",
              .reject(.invalidTarget, status: 400)),
        .init("request-line-double-space-before-version (RFC 9112 §3)", "GET /  HTTP/1.1\r\nHost: a\r\n\r\n",
              .reject(.invalidVersion, status: 400)),
        .init("request-line-missing-target (RFC 9112 §3)", "GET HTTP/1.1\r\nHost: a\r\n\r\n",
              .reject(.invalidVersion, status: 400)),
        .init("request-line-http09 (RFC 9112 §2.3)", "GET /\r\n\r\n", .reject(.invalidVersion, status: 400)),
        .init("request-line-trailing-space (RFC 9112 §3)", "GET / HTTP/1.1 \r\nHost: a\r\n\r\n",
              .reject(.invalidVersion, status: 400)),
        .init("request-line-bare-LF (RFC 9112 §2.2, strict)", "GET / HTTP/1.1\nHost: a\r\n\r\n",
              .reject(.bareLF, status: 400)),
        .init("request-line-bare-CR (RFC 9112 §2.2 MUST)", "GET / HTTP/1.1\rHost: a\r\n\r\n",
              .reject(.bareCR, status: 400)),
        // §2.2: a server SHOULD ignore at least one empty line before the request line.
        .init("leading-empty-lines (RFC 9112 §2.2)", "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", .accept(.none)),
        .init("leading-whitespace-line (RFC 9112 §2.2)", " \r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
              .reject(.invalidMethod, status: 400)),
        // §2.3: HTTP-version = "HTTP/" DIGIT "." DIGIT, case-sensitive.
        .init("version-lowercase (RFC 9112 §2.3)", "GET / http/1.1\r\nHost: a\r\n\r\n", .reject(.invalidVersion, status: 400)),
        .init("version-leading-zero (RFC 9112 §2.3)", "GET / HTTP/01.1\r\nHost: a\r\n\r\n",
              .reject(.invalidVersion, status: 400)),
        .init("version-two-digit-minor (RFC 9112 §2.3)", "GET / HTTP/1.10\r\nHost: a\r\n\r\n",
              .reject(.invalidVersion, status: 400)),
        .init("version-missing-minor (RFC 9112 §2.3)", "GET / HTTP/1\r\nHost: a\r\n\r\n", .reject(.invalidVersion, status: 400)),
        .init("version-inner-space (RFC 9112 §2.3)", "GET / HTTP/ 1.1\r\nHost: a\r\n\r\n",
              .reject(.invalidVersion, status: 400)),
        // RFC 9110 §6.2: a higher minor version of a major we speak is processed as the highest we know.
        .init("version-1.2-as-1.1 (RFC 9110 §6.2)", "GET / HTTP/1.2\r\nHost: a\r\n\r\n", .accept(.none)),
        .init("version-major-unsupported (RFC 9110 §15.6.6)", "GET / HTTP/9.9\r\nHost: a\r\n\r\n",
              .reject(.unsupportedVersion, status: 505)),
        .init("version-1.0-without-host (RFC 9112 §3.2)", "GET / HTTP/1.0\r\n\r\n", .accept(.none)),
        .init("request-line-over-limit-is-414 (RFC 9112 §3)",
              "GET /" + String(repeating: "a", count: 8 * 1024) + " HTTP/1.1\r\nHost: a\r\n\r\n",
              .reject(.requestLineTooLong, status: 414)),
        .init("h2-preface-on-h1 (RFC 9113 §3.4)", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", .reject(.invalidTarget, status: 400)),
    ]

    // MARK: Request target (RFC 9112 §3.2, RFC 9110 §4.2, RFC 3986)

    static let targetCases: [RequestConformanceCase] = [
        .init("origin-form-percent-encoded (RFC 3986 §2.1)", "GET /a%20b/%E2%82%AC?q=%2F HTTP/1.1\r\nHost: a\r\n\r\n",
              .accept(.none)),
        // Not validated: pct-encoding is the origin's to decode (llhttp and most servers pass it through).
        .init("origin-form-odd-percent-passed-through (RFC 9112 §3.2.1)", "GET /100%/x HTTP/1.1\r\nHost: a\r\n\r\n",
              .accept(.none)),
        .init("origin-form-query-with-question-marks (RFC 3986 §3.4)", "GET /t?a=b?c HTTP/1.1\r\nHost: a\r\n\r\n",
              .accept(.none)),
        .init("origin-form-vertical-bar-and-quotes (llhttp uri)", "GET /a|b\"c\"?x={} HTTP/1.1\r\nHost: a\r\n\r\n",
              .accept(.none)),
        .init("origin-form-sub-delims-colon-at (RFC 3986 §3.3)", "GET /a:b@c!$&'()*+,;=-._~ HTTP/1.1\r\nHost: a\r\n\r\n",
              .accept(.none)),
        .init("target-fragment (RFC 9112 §3.2)", "GET /p#frag HTTP/1.1\r\nHost: a\r\n\r\n", .reject(.invalidTarget, status: 400)),
        .init("target-NUL (RFC 9112 §3)", "GET /a\u{0}b HTTP/1.1\r\nHost: a\r\n\r\n", .reject(.invalidTarget, status: 400)),
        .init("target-CTL (RFC 9112 §3)", "GET /a\u{1B}b HTTP/1.1\r\nHost: a\r\n\r\n", .reject(.invalidTarget, status: 400)),
        .init("target-DEL (RFC 9112 §3)", "GET /a\u{7F} HTTP/1.1\r\nHost: a\r\n\r\n", .reject(.invalidTarget, status: 400)),
        .init("target-non-ASCII (RFC 3986 §2)", "GET /caf\u{E9} HTTP/1.1\r\nHost: a\r\n\r\n",
              .reject(.invalidTarget, status: 400)),
        .init("target-overlong-UTF-8 (RFC 3629 §3)", "GET /\u{C0}\u{AF} HTTP/1.1\r\nHost: a\r\n\r\n",
              .reject(.invalidTarget, status: 400)),
        .init("target-relative-path (RFC 9112 §3.2.1)", "GET a/b HTTP/1.1\r\nHost: a\r\n\r\n", .reject(.invalidTarget, status: 400)),
        // §3.2.4: asterisk-form only with OPTIONS.
        .init("asterisk-form-OPTIONS (RFC 9112 §3.2.4)", "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", .accept(.none)),
        .init("asterisk-form-with-GET (RFC 9112 §3.2.4)", "GET * HTTP/1.1\r\nHost: a\r\n\r\n", .reject(.invalidTarget, status: 400)),
        // §3.2.2: a server MUST accept absolute-form; the target's authority wins over Host.
        .init("absolute-form (RFC 9112 §3.2.2)", "GET http://a/b HTTP/1.1\r\nHost: a\r\n\r\n", .accept(.none)),
        .init("absolute-form-port (RFC 9112 §3.2.2)", "GET http://a:8080/b?c HTTP/1.1\r\nHost: a:8080\r\n\r\n",
              .accept(.none)),
        .init("absolute-form-query-without-path (RFC 3986 §3)", "GET http://a:1234?q=1 HTTP/1.1\r\nHost: a\r\n\r\n",
              .accept(.none)),
        .init("absolute-form-https-uppercase-scheme (RFC 3986 §3.1)", "GET HTTPS://a/ HTTP/1.1\r\nHost: a\r\n\r\n",
              .accept(.none)),
        .init("absolute-form-IPv6 (RFC 3986 §3.2.2)", "GET http://[::1]:80/ HTTP/1.1\r\nHost: [::1]:80\r\n\r\n",
              .accept(.none)),
        // RFC 9110 §4.2.4: userinfo in an http(s) URI is an error the recipient SHOULD treat as one.
        .init("absolute-form-userinfo (RFC 9110 §4.2.4)", "GET http://a@b/ HTTP/1.1\r\nHost: b\r\n\r\n",
              .reject(.invalidTarget, status: 400)),
        .init("absolute-form-empty-host (RFC 9110 §4.2.1)", "GET http:///p HTTP/1.1\r\nHost: a\r\n\r\n",
              .reject(.invalidTarget, status: 400)),
        .init("absolute-form-unknown-scheme (RFC 9112 §3.2.2)", "GET ftp://a/ HTTP/1.1\r\nHost: a\r\n\r\n",
              .reject(.invalidTarget, status: 400)),
        // §3.2.3: authority-form only and always with CONNECT.
        .init("authority-form-CONNECT (RFC 9112 §3.2.3)", "CONNECT a.example:443 HTTP/1.1\r\nHost: a.example:443\r\n\r\n",
              .accept(.none)),
        .init("authority-form-underscore-host (RFC 3986 §3.2.2)", "CONNECT home_0.example:443 HTTP/1.0\r\n\r\n",
              .accept(.none)),
        .init("authority-form-without-port (RFC 9112 §3.2.3)", "CONNECT a.example HTTP/1.1\r\nHost: a\r\n\r\n",
              .reject(.invalidTarget, status: 400)),
        .init("authority-form-with-GET (RFC 9112 §3.2.3)", "GET a.example:443 HTTP/1.1\r\nHost: a\r\n\r\n",
              .reject(.invalidTarget, status: 400)),
        .init("origin-form-with-CONNECT (RFC 9112 §3.2.3)", "CONNECT / HTTP/1.1\r\nHost: a\r\n\r\n",
              .reject(.invalidTarget, status: 400)),
    ]
}

/// A chunked body (RFC 9112 §7.1) and what decoding it must produce.
struct ChunkedConformanceCase: Sendable, CustomTestStringConvertible {
    enum Verdict: Sendable {
        /// The body is complete and its data is this text.
        case finish(String)
        /// Decoding fails with this error (a 400 for a request body, a 502 for a response body).
        case reject(HTTPParseError.Kind)
    }

    var rule: String
    var body: String
    var verdict: Verdict

    init(_ rule: String, _ body: String, _ verdict: Verdict) {
        self.rule = rule
        self.body = body
        self.verdict = verdict
    }

    var testDescription: String { rule }
}

/// A response head from an upstream, answering a GET, and the verdict.
struct ResponseConformanceCase: Sendable, CustomTestStringConvertible {
    enum Verdict: Sendable {
        case accept(Int, HTTPBodyFraming)
        case reject(HTTPParseError.Kind)
    }

    var rule: String
    var response: String
    var verdict: Verdict

    init(_ rule: String, _ response: String, _ verdict: Verdict) {
        self.rule = rule
        self.response = response
        self.verdict = verdict
    }

    var testDescription: String { rule }
}

extension ConformanceTests {
    @Test(arguments: chunkedCases)
    func chunkedBody(_ rule: ChunkedConformanceCase) {
        let body = bytes(rule.body)
        for cuts in [[], Array(1..<body.count)] {
            let outcome = decodeChunked(body, cuts: cuts)
            switch rule.verdict {
            case .finish(let data):
                #expect(outcome.finished && outcome.consumed == body.count, "\(rule.rule): \(outcome)")
                #expect(String(decoding: outcome.data, as: UTF8.self) == data, "\(rule.rule)")
            case .reject(let kind):
                #expect(outcome.error == kind, "\(rule.rule): \(outcome)")
            }
        }
    }

    @Test(arguments: responseCases)
    func responseHead(_ rule: ResponseConformanceCase) {
        let data = bytes(rule.response)
        for cut in [data.count, data.count / 2] {
            var parser = HTTP1ResponseParser()
            var result = data.withUnsafeBytes {
                parser.parse(UnsafeRawBufferPointer(rebasing: $0[0..<cut]), requestMethod: .GET)
            }
            if result == .incomplete { result = data.withUnsafeBytes { parser.parse($0, requestMethod: .GET) } }
            switch rule.verdict {
            case .accept(let status, let framing):
                #expect(result == .complete(consumed: data.count), "\(rule.rule): \(result)")
                #expect(parser.head.status == status && parser.head.framing == framing, "\(rule.rule)")
            case .reject(let kind):
                #expect(failureKind(result) == kind, "\(rule.rule): \(result)")
            }
        }
    }
}
