import Testing
@testable import SluiceHTTP
import SluiceTestSupport

/// Mutations that tend to hit parser edge cases: byte flips, inserted delimiters, deletions,
/// truncation and duplicated slices.
func mutate(_ input: [UInt8], _ random: inout SplitMix64) -> [UInt8] {
    var data = input
    let special: [UInt8] = [0x0D, 0x0A, 0x00, 0x20, 0x3A, 0x09, 0x2C, 0x3B, 0x22, 0x7F, 0xFF, 0x30, 0x2D]
    for _ in 0...random.below(3) {
        let position = random.below(data.count + 1)
        switch random.below(6) {
        case 0 where !data.isEmpty:
            data[min(position, data.count - 1)] = UInt8(truncatingIfNeeded: random.next())
        case 1:
            data.insert(special[random.below(special.count)], at: position)
        case 2 where position < data.count:
            data.remove(at: position)
        case 3:
            data.removeLast(random.below(min(data.count, 20) + 1))
        case 4 where position < data.count:
            let end = min(data.count, position + 1 + random.below(24))
            data.insert(contentsOf: data[position..<end], at: end)
        default:
            if !data.isEmpty { data[min(position, data.count - 1)] = special[random.below(special.count)] }
        }
    }
    return data
}

/// Seeded mutation tests of the request parser, response parser and chunked decoder: never crash,
/// stay in bounds, and give the same answer whether the bytes come at once or in pieces.
@Suite struct RequestParserFuzzTests {
    @Test func mutatedRequests() {
        var random = SplitMix64(state: 0x5EED_0001)
        let samples = CodecSamples.validRequests.map(bytes)
        var completed = 0
        var failed = 0
        for iteration in 0..<30_000 {
            let data = mutate(samples[random.below(samples.count)], &random)
            let (oneShot, snapshot) = parseRequestOnce(data)
            switch oneShot {
            case .complete(let consumed):
                completed += 1
                #expect(consumed <= data.count)
                checkBounds(data, consumed: consumed)
            case .failed(let error):
                failed += 1
                #expect(error.offset >= 0 && error.offset <= max(data.count, HTTPLimits().maxHeadBytes))
            case .incomplete:
                break
            }
            // Incremental parsing must agree: byte by byte for some inputs, random cuts for all.
            let cuts = iteration % 16 == 0
                ? Array(0..<data.count)
                : (0..<3).map { _ in random.below(data.count + 1) }.sorted()
            let (pieces, piecesSnapshot) = parseRequestInPieces(data, cuts: cuts)
            #expect(pieces == oneShot, "\(data) cuts \(cuts)")
            #expect(piecesSnapshot == snapshot)
        }
        // The mutations must exercise both outcomes, or the test proves nothing.
        #expect(completed > 1_000 && failed > 1_000)
    }

    /// With tight limits a limit and a syntax error can race: which one is reported may depend on
    /// how the bytes arrive, but both ways must fail, and a complete head must be the same head.
    @Test func mutatedRequestsUnderTightLimits() {
        var random = SplitMix64(state: 0x5EED_0004)
        let samples = CodecSamples.validRequests.map(bytes)
        var limitFailures = 0
        for _ in 0..<5_000 {
            var limits = HTTPLimits()
            limits.maxHeadBytes = 40 + random.below(300)
            limits.maxRequestLineBytes = 16 + random.below(60)
            limits.maxHeaderCount = 1 + random.below(8)
            limits.maxLeadingEmptyLines = random.below(3)
            let data = mutate(samples[random.below(samples.count)], &random)
            let (oneShot, snapshot) = parseRequestOnce(data, limits: limits)
            let cuts = (0..<3).map { _ in random.below(data.count + 1) }.sorted()
            let (pieces, piecesSnapshot) = parseRequestInPieces(data, cuts: cuts, limits: limits)
            switch oneShot {
            case .complete:
                #expect(pieces == oneShot && piecesSnapshot == snapshot, "\(data) cuts \(cuts)")
            case .failed(let error):
                #expect(failureKind(pieces) != nil, "\(data) cuts \(cuts)")
                if error.status == 431 || error.status == 414 { limitFailures += 1 }
            case .incomplete:
                #expect(pieces == .incomplete)
            }
        }
        #expect(limitFailures > 500)
    }

    func checkBounds(_ data: [UInt8], consumed: Int) {
        var parser = HTTP1RequestParser()
        _ = parseRequest(&parser, data)
        let head = parser.head
        let valid = 0...consumed
        for range in [head.methodRange, head.targetRange, head.pathRange, head.queryRange, head.authorityRange] {
            #expect(valid.contains(range.lowerBound) && valid.contains(range.upperBound))
        }
        for field in head.fields {
            #expect(field.nameStart < field.nameEnd && field.nameEnd < field.valueStart + 1)
            #expect(field.valueStart <= field.valueEnd && Int(field.valueEnd) <= consumed)
        }
        #expect(head.fields.count == head.knownFields.count && head.headLength == consumed)
    }

    @Test func mutatedResponses() {
        var random = SplitMix64(state: 0x5EED_0002)
        let samples = CodecSamples.validResponses.map(bytes)
        let methods: [HTTPMethod] = [.GET, .HEAD, .POST, .CONNECT]
        for _ in 0..<5_000 {
            let data = mutate(samples[random.below(samples.count)], &random)
            let method = methods[random.below(methods.count)]
            var oneShot = HTTP1ResponseParser()
            let expected = data.withUnsafeBytes { oneShot.parse($0, requestMethod: method) }
            if case .complete(let consumed) = expected {
                #expect(consumed <= data.count && oneShot.head.headLength == consumed)
                #expect(oneShot.head.reasonRange.upperBound <= consumed)
                #expect(oneShot.head.fields.allSatisfy { Int($0.valueEnd) <= consumed })
            }
            let cut = random.below(data.count + 1)
            var split = HTTP1ResponseParser()
            var result = data.withUnsafeBytes { split.parse(UnsafeRawBufferPointer(rebasing: $0[0..<cut]), requestMethod: method) }
            if result == .incomplete { result = data.withUnsafeBytes { split.parse($0, requestMethod: method) } }
            #expect(result == expected)
            if case .complete = expected {
                #expect(ResponseSnapshot(split.head, data) == ResponseSnapshot(oneShot.head, data))
            }
        }
    }

    @Test func mutatedChunkedBodies() {
        var random = SplitMix64(state: 0x5EED_0003)
        let samples = CodecSamples.chunkedBodies.map(bytes)
        var finished = 0
        for _ in 0..<5_000 {
            let data = mutate(samples[random.below(samples.count)], &random)
            let oneShot = decodeChunked(data, cuts: [])
            #expect(oneShot.consumed <= data.count)
            if oneShot.finished { finished += 1 }
            let cuts = (0..<3).map { _ in random.below(data.count + 1) }.sorted()
            #expect(decodeChunked(data, cuts: cuts) == oneShot, "\(data) cuts \(cuts)")
        }
        #expect(finished > 500)
    }
}
