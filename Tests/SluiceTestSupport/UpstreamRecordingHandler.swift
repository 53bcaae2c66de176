import SluiceHTTP

/// What a `UpstreamRecordingHandler` saw of one exchange, as a `Sendable` value for assertions.
public struct UpstreamExchangeRecord: Sendable {
    public var status: Int?
    /// The raw final head as received.
    public var head: String = ""
    public var body: [UInt8] = []
    public var bodyCallbacks = 0
    public var trailers: String?
    public var ended = false
    public var error: HTTPClientError?
    public var interimStatuses: [Int] = []
    /// Exchanges the connection had completed before this one (> 0: it was reused).
    public var connectionReuseCount = 0

    public init() {}

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// Records one exchange's callbacks (on the loop) and calls `onFinish` once with the record when
/// the exchange ends or fails. Optionally pauses the response after the first body piece and
/// resumes it on the next loop iteration, to exercise backpressure.
public final class UpstreamRecordingHandler: UpstreamResponseHandler {
    public private(set) var record = UpstreamExchangeRecord()
    private let onFinish: (UpstreamExchangeRecord) -> Void
    private let pauseEveryBodyPiece: Bool
    private let loop: EventLoop?

    public init(loop: EventLoop? = nil, pauseEveryBodyPiece: Bool = false,
                onFinish: @escaping (UpstreamExchangeRecord) -> Void) {
        self.onFinish = onFinish
        self.pauseEveryBodyPiece = pauseEveryBodyPiece
        self.loop = loop
    }

    public func upstreamResponseHead(_ connection: UpstreamConnection, head: HTTPResponseHead, bytes: UnsafeRawBufferPointer) {
        record.status = head.status
        record.head = String(decoding: bytes, as: UTF8.self)
        record.connectionReuseCount = connection.completedExchanges
    }

    public func upstreamResponseBody(_ connection: UpstreamConnection, bytes: UnsafeRawBufferPointer) {
        record.body.append(contentsOf: bytes)
        record.bodyCallbacks += 1
        if pauseEveryBodyPiece, let loop {
            connection.pauseResponse()
            loop.schedule(after: 1_000_000) { connection.resumeResponse() }
        }
    }

    public func upstreamResponseEnd(_ connection: UpstreamConnection, trailers: UnsafeRawBufferPointer?) {
        record.ended = true
        record.trailers = trailers.map { String(decoding: $0, as: UTF8.self) }
        onFinish(record)
    }

    public func upstreamFailed(_ connection: UpstreamConnection, error: HTTPClientError) {
        record.error = error
        onFinish(record)
    }

    public func upstreamInterimResponse(_ connection: UpstreamConnection, head: HTTPResponseHead, bytes: UnsafeRawBufferPointer) {
        record.interimStatuses.append(head.status)
    }
}
