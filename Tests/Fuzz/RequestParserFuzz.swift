// libFuzzer entry point for the HTTP/1.1 codec. Not part of `swift test`: built by run.sh with
// `swiftc -sanitize=fuzzer,address` together with Sources/SluiceHTTP/Codec/*.swift.
//
// Input layout: the first two bytes pick where to cut the rest into three pieces (to check
// incremental parsing); the rest is fed to the request parser, the response parser and the
// chunked decoder.
// Any disagreement between one-shot and split parsing, or an out-of-bounds range, traps.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCodec(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    guard count > 1 else { return 0 }
    let input = UnsafeRawBufferPointer(start: start, count: count)
    let data = UnsafeRawBufferPointer(rebasing: input[2...])
    let first = Int(input[0]) % (data.count + 1)
    let second = Int(input[1]) % (data.count + 1)
    let cuts = [min(first, second), max(first, second)]
    checkRequest(data, cuts: cuts)
    checkResponse(data, cuts: cuts)
    checkChunked(data, cuts: cuts)
    return 0
}

func checkRequest(_ data: UnsafeRawBufferPointer, cuts: [Int]) {
    var oneShot = HTTP1RequestParser()
    let expected = oneShot.parse(data)
    var split = HTTP1RequestParser()
    var result = HTTPHeadParseResult.incomplete
    for end in cuts + [data.count] where result == .incomplete {
        result = split.parse(UnsafeRawBufferPointer(rebasing: data[0..<end]))
    }
    precondition(result == expected, "split request parse disagrees: \(result) vs \(expected)")
    guard case .complete(let consumed) = expected else { return }
    precondition(consumed <= data.count && oneShot.head.headLength == consumed)
    let head = oneShot.head
    for range in [head.methodRange, head.targetRange, head.pathRange, head.queryRange, head.authorityRange] {
        precondition(range.lowerBound >= 0 && range.upperBound <= consumed)
    }
    precondition(head.fields.count == split.head.fields.count && head.fields.count == head.knownFields.count)
    for (index, field) in head.fields.enumerated() {
        precondition(field == split.head.fields[index] && field.nameStart < field.nameEnd)
        precondition(field.valueStart <= field.valueEnd && Int(field.valueEnd) <= consumed)
    }
    precondition(head.framing == split.head.framing && head.keepAlive == split.head.keepAlive)
}

func checkResponse(_ data: UnsafeRawBufferPointer, cuts: [Int]) {
    var oneShot = HTTP1ResponseParser()
    let expected = oneShot.parse(data, requestMethod: .GET)
    var split = HTTP1ResponseParser()
    var result = HTTPHeadParseResult.incomplete
    for end in cuts + [data.count] where result == .incomplete {
        result = split.parse(UnsafeRawBufferPointer(rebasing: data[0..<end]), requestMethod: .GET)
    }
    precondition(result == expected, "split response parse disagrees: \(result) vs \(expected)")
    if case .complete(let consumed) = expected {
        precondition(consumed <= data.count && oneShot.head.reasonRange.upperBound <= consumed)
        precondition(oneShot.head.fields == split.head.fields && oneShot.head.framing == split.head.framing)
    }
}

/// Decodes all of `data` as a chunked body, delivered in pieces ending at `pieces`; returns the
/// concatenated data ranges (as absolute offsets) and whether it finished or failed.
func decodeChunked(_ data: UnsafeRawBufferPointer, pieces: [Int]) -> ([Range<Int>], Bool, Bool) {
    var decoder = HTTP1ChunkedDecoder()
    var consumed = 0
    var ranges: [Range<Int>] = []
    for end in pieces where end >= consumed {
        while true {
            let step: HTTP1ChunkedDecoder.Step
            do {
                step = try decoder.decode(UnsafeRawBufferPointer(rebasing: data[consumed..<end]))
            } catch {
                return (ranges, false, true)
            }
            precondition(step.consumed <= end - consumed)
            if let range = step.data {
                precondition(range.upperBound <= step.consumed)
                // Adjacent ranges merge, so different cut points compare equal.
                let absolute = (range.lowerBound + consumed)..<(range.upperBound + consumed)
                if let last = ranges.last, last.upperBound == absolute.lowerBound {
                    ranges[ranges.count - 1] = last.lowerBound..<absolute.upperBound
                } else {
                    ranges.append(absolute)
                }
            }
            consumed += step.consumed
            if step.finished { return (ranges, true, false) }
            if step.consumed == 0 { break }
        }
    }
    return (ranges, false, false)
}

func checkChunked(_ data: UnsafeRawBufferPointer, cuts: [Int]) {
    let oneShot = decodeChunked(data, pieces: [data.count])
    let split = decodeChunked(data, pieces: cuts + [data.count])
    precondition(oneShot.0 == split.0 && oneShot.1 == split.1 && oneShot.2 == split.2,
                 "split chunked decode disagrees")
}
