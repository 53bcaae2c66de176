/// Why a message head or body could not be parsed, and where. A server answers `status` and closes
/// the connection: after a framing error the byte stream can no longer be trusted (RFC 9112 §6.3).
public struct HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case tooManyLeadingEmptyLines
        case invalidMethod
        case invalidTarget
        case invalidVersion
        case unsupportedVersion                 // 505
        case requestLineTooLong                 // 414
        case headTooLarge                       // 431
        case tooManyHeaders                     // 431
        case invalidFieldName
        case invalidFieldValue
        case whitespaceBeforeColon
        case whitespaceBeforeFirstField
        case obsoleteLineFolding
        case bareCR
        case bareLF
        case missingHost
        case duplicateHost
        case invalidHost
        case invalidContentLength
        case conflictingContentLength
        case contentLengthWithTransferEncoding
        case transferEncodingNotChunked
        case invalidTransferEncoding
        case unsupportedTransferCoding          // 501
        case transferEncodingInHTTP10
        case unsupportedExpectation             // 417
        case invalidChunkSize
        case chunkLineTooLong
        case invalidChunkExtension
        case invalidChunkTerminator
        case trailerTooLarge                    // 431
        case invalidStatusLine                  // responses
        case invalidStatusCode                  // responses
    }

    public var kind: Kind
    /// Offset of the offending byte in the buffer that was parsed, when known.
    public var offset: Int

    public init(_ kind: Kind, at offset: Int) {
        self.kind = kind
        self.offset = offset
    }

    /// The status code a server answers with for this error.
    public var status: Int {
        switch kind {
        case .requestLineTooLong: return 414
        case .headTooLarge, .tooManyHeaders, .trailerTooLarge: return 431
        case .unsupportedVersion: return 505
        case .unsupportedTransferCoding: return 501
        case .unsupportedExpectation: return 417
        default: return 400
        }
    }

    public var description: String { "HTTP parse error \(kind) at byte \(offset)" }
}
