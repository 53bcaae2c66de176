@testable import SluiceHTTP

/// Everything a parsed request head says, with ranges turned into strings, so two parses of the same
/// bytes (one-shot, byte by byte, split) can be compared with `==`.
struct RequestSnapshot: Equatable, CustomStringConvertible {
    var method: HTTPMethod
    var methodText: String
    var target: String
    var targetForm: HTTPTargetForm
    var path: String
    var query: String
    var authority: String
    var version: HTTPVersion
    var fields: [String]
    var known: [HTTPKnownField]
    var hostFieldIndex: Int?
    var framing: HTTPBodyFraming
    var keepAlive: Bool
    var expectContinue: Bool
    var connectionNamesOtherFields: Bool
    var headLength: Int

    init(_ head: HTTPRequestHead, _ bytes: [UInt8]) {
        method = head.method
        methodText = text(bytes, head.methodRange)
        target = text(bytes, head.targetRange)
        targetForm = head.targetForm
        path = text(bytes, head.pathRange)
        query = text(bytes, head.queryRange)
        authority = text(bytes, head.authorityRange)
        version = head.version
        fields = head.fields.map { "\(text(bytes, $0.nameRange)): \(text(bytes, $0.valueRange))" }
        known = head.knownFields
        hostFieldIndex = head.hostFieldIndex
        framing = head.framing
        keepAlive = head.keepAlive
        expectContinue = head.expectContinue
        connectionNamesOtherFields = head.connectionNamesOtherFields
        headLength = head.headLength
    }

    var description: String { "\(methodText) \(target) \(version) \(fields) \(framing) keepAlive=\(keepAlive)" }
}

/// Same for response heads.
struct ResponseSnapshot: Equatable {
    var version: HTTPVersion
    var status: Int
    var reason: String
    var fields: [String]
    var known: [HTTPKnownField]
    var framing: HTTPBodyFraming
    var keepAlive: Bool
    var connectionNamesOtherFields: Bool
    var headLength: Int

    init(_ head: HTTPResponseHead, _ bytes: [UInt8]) {
        version = head.version
        status = head.status
        reason = text(bytes, head.reasonRange)
        fields = head.fields.map { "\(text(bytes, $0.nameRange)): \(text(bytes, $0.valueRange))" }
        known = head.knownFields
        framing = head.framing
        keepAlive = head.keepAlive
        connectionNamesOtherFields = head.connectionNamesOtherFields
        headLength = head.headLength
    }
}

func text(_ bytes: [UInt8], _ range: Range<Int>) -> String {
    String(decoding: bytes[range], as: UTF8.self)
}

func bytes(_ string: String) -> [UInt8] { Array(string.utf8) }

/// One parse of `bytes[0..<count]`.
func parseRequest(_ parser: inout HTTP1RequestParser, _ bytes: [UInt8], count: Int? = nil) -> HTTPHeadParseResult {
    bytes.withUnsafeBytes { parser.parse(UnsafeRawBufferPointer(rebasing: $0[0..<(count ?? bytes.count)])) }
}

/// One-shot parse with a fresh parser: the result and, when complete, the snapshot.
func parseRequestOnce(_ bytes: [UInt8], limits: HTTPLimits = HTTPLimits()) -> (HTTPHeadParseResult, RequestSnapshot?) {
    var parser = HTTP1RequestParser(limits: limits)
    let result = parseRequest(&parser, bytes)
    if case .complete = result { return (result, RequestSnapshot(parser.head, bytes)) }
    return (result, nil)
}

/// Parses with growing prefixes ending at each of `cuts` then at the full length, like a connection
/// that receives the bytes in pieces. Returns the first non-incomplete result (or the last one).
func parseRequestInPieces(_ bytes: [UInt8], cuts: [Int], limits: HTTPLimits = HTTPLimits())
    -> (HTTPHeadParseResult, RequestSnapshot?) {
    var parser = HTTP1RequestParser(limits: limits)
    var result = HTTPHeadParseResult.incomplete
    for cut in cuts + [bytes.count] {
        result = parseRequest(&parser, bytes, count: cut)
        if case .complete = result { return (result, RequestSnapshot(parser.head, bytes)) }
        if case .failed = result { return (result, nil) }
    }
    return (result, nil)
}

func failureKind(_ result: HTTPHeadParseResult) -> HTTPParseError.Kind? {
    if case .failed(let error) = result { return error.kind }
    return nil
}

func failureStatus(_ result: HTTPHeadParseResult) -> Int? {
    if case .failed(let error) = result { return error.status }
    return nil
}
