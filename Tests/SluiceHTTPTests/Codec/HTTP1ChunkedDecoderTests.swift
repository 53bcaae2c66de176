import Testing
@testable import SluiceHTTP

/// What decoding a whole chunked body produced.
struct ChunkedOutcome: Equatable {
    var data: [UInt8] = []
    var trailers: String?
    var finished = false
    var consumed = 0
    var error: HTTPParseError.Kind?
}

/// Simulates a connection: the body arrives in pieces ending at `cuts`; after each arrival the
/// decoder is called on the unconsumed bytes until it needs more or finishes.
func decodeChunked(_ body: [UInt8], cuts: [Int], limits: HTTPLimits = HTTPLimits()) -> ChunkedOutcome {
    var decoder = HTTP1ChunkedDecoder(limits: limits)
    var outcome = ChunkedOutcome()
    for cut in cuts + [body.count] where cut >= outcome.consumed {
        while true {
            let pending = Array(body[outcome.consumed..<cut])
            let result = pending.withUnsafeBytes { buffer in
                Result { () throws(HTTPParseError) in try decoder.decode(buffer) }
            }
            let step: HTTP1ChunkedDecoder.Step
            switch result {
            case .success(let value): step = value
            case .failure(let error):
                // Framing consumed earlier in the failing call is not reported: after an error it does not matter.
                outcome.error = error.kind
                outcome.consumed = 0
                return outcome
            }
            if let data = step.data { outcome.data += pending[data] }
            if let trailers = step.trailers { outcome.trailers = String(decoding: pending[trailers], as: UTF8.self) }
            outcome.consumed += step.consumed
            if step.finished {
                outcome.finished = true
                return outcome
            }
            if step.consumed == 0 { break }
        }
    }
    return outcome
}

@Suite struct HTTP1ChunkedDecoderTests {
    @Test func decodesChunksExtensionsAndTrailers() {
        let body = bytes(CodecSamples.chunkedBodies[1] + "NEXT REQUEST")
        let outcome = decodeChunked(body, cuts: [])
        #expect(outcome.error == nil)
        #expect(outcome.finished)
        #expect(String(decoding: outcome.data, as: UTF8.self) == "0123456789!")
        #expect(outcome.trailers == "X-Trailer: yes\r\nChecksum: 1\r\n")
        #expect(outcome.consumed == body.count - 12)
    }

    @Test func noTrailersGivesNilRange() {
        let outcome = decodeChunked(bytes("3\r\nabc\r\n0\r\n\r\n"), cuts: [])
        #expect(outcome.finished && outcome.trailers == nil && outcome.data == bytes("abc"))
    }

    @Test func eachStepReturnsAtMostOneChunk() throws {
        let input = bytes("2\r\nab\r\n3\r\ncde\r\n0\r\n\r\n")
        var decoder = HTTP1ChunkedDecoder()
        let first = try input.withUnsafeBytes { try decoder.decode($0) }
        #expect(first == .init(consumed: 5, data: 3..<5, finished: false))
        let rest = Array(input[5...])
        let second = try rest.withUnsafeBytes { try decoder.decode($0) }
        #expect(second == .init(consumed: 8, data: 5..<8, finished: false))
        let last = Array(rest[8...])
        let third = try last.withUnsafeBytes { try decoder.decode($0) }
        #expect(third == .init(consumed: 7, data: nil, finished: true))
        #expect(decoder.isFinished)
    }

    @Test func partialDataIsReportedAsItArrives() throws {
        let input = bytes("a\r\n01234")
        var decoder = HTTP1ChunkedDecoder()
        let step = try input.withUnsafeBytes { try decoder.decode($0) }
        #expect(step == .init(consumed: 8, data: 3..<8, finished: false))
        let more = bytes("56789\r\n")
        let next = try more.withUnsafeBytes { try decoder.decode($0) }
        #expect(next == .init(consumed: 5, data: 0..<5, finished: false))
    }

    @Test(arguments: CodecSamples.chunkedBodies)
    func byteAtATimeAndEverySplitMatchOneShot(_ text: String) {
        let body = bytes(text)
        let oneShot = decodeChunked(body, cuts: [])
        #expect(oneShot.finished && oneShot.error == nil && oneShot.consumed == body.count)
        #expect(decodeChunked(body, cuts: Array(0..<body.count)) == oneShot)
        for cut in 0...body.count {
            #expect(decodeChunked(body, cuts: [cut]) == oneShot, "cut at \(cut)")
        }
    }

    static let rejected: [(String, HTTPParseError.Kind)] = [
        ("-1\r\nx\r\n0\r\n\r\n", .invalidChunkSize),
        ("+1\r\nx\r\n0\r\n\r\n", .invalidChunkSize),
        ("0x5\r\nhello\r\n0\r\n\r\n", .invalidChunkSize),
        (" 5\r\nhello\r\n0\r\n\r\n", .invalidChunkSize),
        ("\t5\r\nhello\r\n0\r\n\r\n", .invalidChunkSize),
        ("5 \r\nhello\r\n0\r\n\r\n", .invalidChunkSize),
        ("5\t\r\nhello\r\n0\r\n\r\n", .invalidChunkSize),
        ("5 5\r\nhello\r\n0\r\n\r\n", .invalidChunkSize),
        ("g\r\n", .invalidChunkSize),
        ("\r\n", .invalidChunkSize),
        ("10000000000000000\r\n", .invalidChunkSize),
        ("FFFFFFFFFFFFFFFF\r\n", .invalidChunkSize),
        ("5\r\nhelloX\r\n0\r\n\r\n", .invalidChunkTerminator),
        ("5\r\nhello\r\r\n", .bareCR),
        ("5\r\nhello\n0\r\n\r\n", .bareLF),
        ("5\r\nhello\rX", .bareCR),
        ("5\nhello\r\n", .bareLF),
        ("5\rhello\r\n", .bareCR),
        ("5;\r\nhello\r\n", .invalidChunkExtension),
        ("5;a=\r\nhello\r\n", .invalidChunkExtension),
        ("5;a b\r\nhello\r\n", .invalidChunkExtension),
        ("5;a \r\nhello\r\n", .invalidChunkExtension),
        ("5;a=\"x\r\n\"\r\nhello\r\n", .invalidChunkExtension),
        ("5;a=\"x\u{0}\"\r\nhello\r\n", .invalidChunkExtension),
        ("5;a=b;\r\nhello\r\n", .invalidChunkExtension),
        ("5;a=(b)\r\nhello\r\n", .invalidChunkExtension),
        ("5;a\nhello\r\n", .bareLF),
        ("0\r\nX : y\r\n\r\n", .whitespaceBeforeColon),
        ("0\r\nX: y\r\n z\r\n\r\n", .obsoleteLineFolding),
        ("0\r\nX: y\n\r\n", .bareLF),
        ("0\r\nX: a\u{0}\r\n\r\n", .invalidFieldValue),
        ("0\r\n\n", .bareLF),
        ("0\r\n\rX", .bareCR),
        ("0\r\nbad\r\n\r\n", .invalidFieldName),
    ]

    @Test(arguments: rejected)
    func rejects(_ text: String, _ kind: HTTPParseError.Kind) {
        let body = bytes(text)
        #expect(decodeChunked(body, cuts: []).error == kind, "\(text.debugDescription)")
        #expect(decodeChunked(body, cuts: Array(0..<body.count)).error == kind, "\(text.debugDescription) bytewise")
    }

    @Test func acceptsLeadingZerosAndFifteenDigits() {
        #expect(decodeChunked(bytes("00000000000000000001\r\nx\r\n0\r\n\r\n"), cuts: []).data == bytes("x"))
        var decoder = HTTP1ChunkedDecoder()
        let line = bytes("FFFFFFFFFFFFFFF\r\n")
        let step = try? line.withUnsafeBytes { try decoder.decode($0) }
        #expect(step == .init(consumed: line.count, data: nil, finished: false))
        #expect(decoder.state == .data(remaining: 0x0FFF_FFFF_FFFF_FFFF))
    }

    @Test func chunkLineLimit() {
        var limits = HTTPLimits()
        limits.maxChunkLineBytes = 16
        let fits = "5;abcdefghijklmn\r\nhello\r\n0\r\n\r\n"
        #expect(decodeChunked(bytes(fits), cuts: [], limits: limits).finished)
        let over = bytes("5;abcdefghijklmno\r\nhello\r\n0\r\n\r\n")
        #expect(decodeChunked(over, cuts: [], limits: limits).error == .chunkLineTooLong)
        // Detected before the line ends.
        let endless = bytes("5;" + String(repeating: "a", count: 100))
        #expect(decodeChunked(endless, cuts: [], limits: limits).error == .chunkLineTooLong)
        let error = HTTPParseError(.chunkLineTooLong, at: 0)
        #expect(error.status == 400)
    }

    @Test func trailerLimits() {
        var limits = HTTPLimits()
        limits.maxTrailerBytes = 20
        limits.maxHeaderCount = 2
        #expect(decodeChunked(bytes("0\r\nA: 1\r\nB: 2\r\n\r\n"), cuts: [], limits: limits).finished)
        let tooMany = decodeChunked(bytes("0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n"), cuts: [], limits: limits)
        #expect(tooMany.error == .tooManyHeaders)
        let tooLarge = decodeChunked(bytes("0\r\nA: 12345678901234567\r\n\r\n"), cuts: [], limits: limits)
        #expect(tooLarge.error == .trailerTooLarge)
        let endless = decodeChunked(bytes("0\r\nA: " + String(repeating: "x", count: 50)), cuts: [], limits: limits)
        #expect(endless.error == .trailerTooLarge)
        #expect(HTTPParseError(.trailerTooLarge, at: 0).status == 431)
    }

    @Test func finishedDecoderConsumesNothingMore() throws {
        var decoder = HTTP1ChunkedDecoder()
        let body = bytes("0\r\n\r\nGET")
        let step = try body.withUnsafeBytes { try decoder.decode($0) }
        #expect(step == .init(consumed: 5, data: nil, finished: true))
        let again = try body.withUnsafeBytes { try decoder.decode(UnsafeRawBufferPointer(rebasing: $0[5...])) }
        #expect(again == .init(consumed: 0, data: nil, finished: true))
        decoder.reset()
        #expect(!decoder.isFinished)
    }
}
