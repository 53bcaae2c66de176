import Dispatch
import Glibc
import Testing
import SluiceHTTP
import SluiceTestSupport

extension EngineSuite {
    /// Regression tests for connection reuse and pause safety: bytes after a response never reach
    /// the next exchange, a paused response still learns of a reset, paused time is not a stall,
    /// and a blocked request producer is told when the upstream stops reading.
    @Suite struct UpstreamConnectionReuseSafetyTests {
        static let second = Array("GET /second HTTP/1.1\r\nHost: u\r\n\r\n".utf8)

        /// Sends `first` (answered by `firstReply`, written in one segment so the stray bytes come
        /// with the head), then from its end callback a GET through the same pool. Returns both
        /// records, the pool's idle count right after the first exchange ended, and the number of
        /// connections the server accepted.
        func twoExchanges(first: [UInt8], method: HTTPMethod, firstReply: String) throws
            -> (first: UpstreamExchangeRecord, second: UpstreamExchangeRecord, idleAfterFirst: Int, accepted: Int) {
            let server = try ScriptedUpstreamServer { connection in
                while let request = connection.readRequest() {
                    if request.starts(with: Self.second) {
                        connection.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")
                    } else {
                        connection.write(firstReply)
                    }
                }
            }
            defer { server.stop() }
            let loop = try UpstreamTestLoop()
            defer { loop.shutdown() }
            let target = UpstreamTarget(host: "127.0.0.1", port: server.port)
            let outcome: (UpstreamExchangeRecord, UpstreamExchangeRecord, Int)? = loop.run { eventLoop, finish in
                guard let pool = try? UpstreamPool(target: target, loop: eventLoop),
                      let connection = try? pool.checkout() else { return }
                let firstHandler = UpstreamRecordingHandler { firstRecord in
                    let idle = pool.idleCount
                    guard let next = try? pool.checkout() else {
                        finish((firstRecord, UpstreamExchangeRecord(), idle))
                        return
                    }
                    let secondHandler = UpstreamRecordingHandler { secondRecord in
                        pool.closeIdle()
                        finish((firstRecord, secondRecord, idle))
                    }
                    next.startRequest(head: Self.second, method: .GET, idempotent: true, handler: secondHandler)
                }
                connection.startRequest(head: first, method: method, idempotent: true, handler: firstHandler)
            }
            let (firstRecord, secondRecord, idle) = try #require(outcome, "the exchanges did not end in time")
            return (firstRecord, secondRecord, idle, server.acceptedConnections)
        }

        @Test func bytesAfterAHeadResponseAreNeverReadAsTheNextResponse() throws {
            // A HEAD response has no body whatever its Content-Length (RFC 9110 §9.3.2); the upstream
            // wrongly sends one anyway, in the same segment as the head.
            let result = try twoExchanges(
                first: Array("HEAD /first HTTP/1.1\r\nHost: u\r\n\r\n".utf8), method: .HEAD,
                firstReply: "HTTP/1.1 200 OK\r\nContent-Length: 40\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nevil")
            #expect(result.first.ended)
            #expect(result.first.status == 200)
            #expect(result.first.body.isEmpty)
            #expect(result.idleAfterFirst == 0)
            #expect(result.second.error == nil)
            #expect(result.second.status == 200)
            #expect(result.second.bodyText == "hello")
            #expect(result.second.connectionReuseCount == 0)
            #expect(result.accepted == 2)
        }

        @Test func bytesAfterAContentLengthZeroResponseAreNeverReadAsTheNextResponse() throws {
            let result = try twoExchanges(
                first: Array("GET /first HTTP/1.1\r\nHost: u\r\n\r\n".utf8), method: .GET,
                firstReply: "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
                    + "HTTP/1.1 302 Found\r\nLocation: http://evil/\r\nContent-Length: 4\r\n\r\nevil")
            #expect(result.first.ended)
            #expect(result.first.status == 200)
            #expect(result.idleAfterFirst == 0)
            #expect(result.second.error == nil)
            #expect(result.second.status == 200)
            #expect(result.second.bodyText == "hello")
            #expect(result.second.connectionReuseCount == 0)
            #expect(result.accepted == 2)
        }

        @Test func upstreamResetWhileTheResponseIsPausedFailsTheExchange() throws {
            let paused = DispatchSemaphore(value: 0)
            let server = try ScriptedUpstreamServer { connection in
                guard connection.readRequest() != nil else { return }
                connection.write("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + String(repeating: "x", count: 1000))
                _ = paused.wait(timeout: .now() + 10)
                connection.reset()
            }
            defer { server.stop() }
            let loop = try UpstreamTestLoop()
            defer { loop.shutdown() }
            let target = UpstreamTarget(host: "127.0.0.1", port: server.port)
            let outcome: (HTTPClientError?, Bool, Int, Int)? = loop.run(timeoutSeconds: 5) { eventLoop, finish in
                guard let pool = try? UpstreamPool(target: target, loop: eventLoop),
                      let connection = try? pool.checkout() else { return }
                let handler = HeadPausingHandler(onPaused: { paused.signal() }) { error, bodyBytes in
                    finish((error, connection.isClosed, pool.openCount, bodyBytes))
                }
                connection.startRequest(head: Self.second, method: .GET, idempotent: true, handler: handler)
            }
            // Before the fix the loop spun on EPOLLHUP and the handler never heard of the reset.
            let (error, closed, open, bodyBytes) = try #require(outcome, "a reset while paused must fail the exchange")
            #expect(error?.kind == .reset)
            #expect(error?.responseStarted == true)
            #expect(error?.isRetrySafe == false)
            #expect(closed)
            #expect(open == 0)
            #expect(bodyBytes == 0) // nothing is delivered while paused
        }

        @Test func pausedTimeDoesNotCountTowardsTheReadIdleTimeoutAfterResume() throws {
            // Read-idle 300 ms. The stall timer fires at ~300 ms (paused: re-armed) and ~600 ms;
            // the consumer resumes at ~550 ms and the upstream sends the rest 150 ms later. Only
            // 150 ms of upstream silence happened since the resume, so it must not time out.
            let resumed = DispatchSemaphore(value: 0)
            let server = try ScriptedUpstreamServer { connection in
                guard connection.readRequest() != nil else { return }
                connection.write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n12345")
                _ = resumed.wait(timeout: .now() + 10)
                usleep(150_000) // the upstream's own delay after the resume, part of the scenario
                connection.write("67890")
                _ = connection.waitForEOF()
            }
            defer { server.stop() }
            let loop = try UpstreamTestLoop()
            defer { loop.shutdown() }
            var configuration = UpstreamClientConfiguration()
            configuration.readIdleTimeoutMilliseconds = 300
            let settings = configuration
            let target = UpstreamTarget(host: "127.0.0.1", port: server.port)
            let record: UpstreamExchangeRecord? = loop.run { eventLoop, finish in
                guard let pool = try? UpstreamPool(target: target, loop: eventLoop, configuration: settings),
                      let connection = try? pool.checkout() else { return }
                let handler = PausingHandler(loop: eventLoop, pauseNanoseconds: 550_000_000, onPaused: {
                    eventLoop.schedule(after: 550_000_000) { resumed.signal() }
                }) {
                    pool.closeIdle()
                    finish($0)
                }
                connection.startRequest(head: Self.second, method: .GET, idempotent: true, handler: handler)
            }
            let result = try #require(record)
            #expect(result.error == nil)
            #expect(result.bodyText == "1234567890")
        }

        @Test func blockedRequestProducerLearnsThatTheUpstreamStoppedReading() throws {
            let blocked = DispatchSemaphore(value: 0)
            let server = try ScriptedUpstreamServer { connection in
                guard connection.readHead() != nil else { return }
                // Read no body; once the client's queue is above its high water mark, reset.
                _ = blocked.wait(timeout: .now() + 10)
                connection.reset()
            }
            defer { server.stop() }
            let loop = try UpstreamTestLoop()
            defer { loop.shutdown() }
            let piece = [UInt8](repeating: UInt8(ascii: "y"), count: 64 * 1024)
            let head = Array("PUT /big HTTP/1.1\r\nHost: u\r\nContent-Length: \(1024 * piece.count)\r\n\r\n".utf8)
            let target = UpstreamTarget(host: "127.0.0.1", port: server.port)
            let outcome: BlockedProducerHandler.Summary? = loop.run { eventLoop, finish in
                guard let pool = try? UpstreamPool(target: target, loop: eventLoop),
                      let connection = try? pool.checkout() else { return }
                let handler = BlockedProducerHandler(piece: piece, onFirstBlock: { blocked.signal() }) {
                    finish($0)
                }
                connection.startRequest(head: head, method: .PUT, idempotent: true, endOfRequest: false, handler: handler)
                handler.produce(connection)
            }
            let summary = try #require(outcome)
            #expect(summary.blockedWhileAccepting >= 1)
            // The producer was woken after the failed write and told to stop, not left waiting.
            #expect(summary.refusedAfterWake)
            #expect(summary.error?.kind == .reset)
        }
    }
}

/// Pauses the response in its head callback and never resumes; records how the exchange ends.
final class HeadPausingHandler: UpstreamResponseHandler {
    let onPaused: () -> Void
    let onFinish: (HTTPClientError?, Int) -> Void
    var bodyBytes = 0

    init(onPaused: @escaping () -> Void, onFinish: @escaping (HTTPClientError?, Int) -> Void) {
        self.onPaused = onPaused
        self.onFinish = onFinish
    }

    func upstreamResponseHead(_ connection: UpstreamConnection, head: HTTPResponseHead, bytes: UnsafeRawBufferPointer) {
        connection.pauseResponse()
        onPaused()
    }

    func upstreamResponseBody(_ connection: UpstreamConnection, bytes: UnsafeRawBufferPointer) {
        bodyBytes += bytes.count
    }

    func upstreamResponseEnd(_ connection: UpstreamConnection, trailers: UnsafeRawBufferPointer?) {
        onFinish(nil, bodyBytes)
    }

    func upstreamFailed(_ connection: UpstreamConnection, error: HTTPClientError) {
        onFinish(error, bodyBytes)
    }
}

/// Streams a request body honouring backpressure and records what `writeRequestBody` and
/// `isAcceptingRequestBody` said after each `upstreamRequestWritable`.
final class BlockedProducerHandler: UpstreamResponseHandler {
    struct Summary: Sendable {
        /// `writeRequestBody` returned false while `isAcceptingRequestBody` stayed true.
        var blockedWhileAccepting = 0
        /// After an `upstreamRequestWritable`, a write was refused with `isAcceptingRequestBody` false.
        var refusedAfterWake = false
        var error: HTTPClientError?
    }

    let piece: [UInt8]
    let onFirstBlock: () -> Void
    let onFinish: (Summary) -> Void
    var summary = Summary()
    var woken = false

    init(piece: [UInt8], onFirstBlock: @escaping () -> Void, onFinish: @escaping (Summary) -> Void) {
        self.piece = piece
        self.onFirstBlock = onFirstBlock
        self.onFinish = onFinish
    }

    func produce(_ connection: UpstreamConnection) {
        while true {
            let accepted = piece.withUnsafeBytes { connection.writeRequestBody($0) }
            if accepted { continue }
            if connection.isAcceptingRequestBody {
                summary.blockedWhileAccepting += 1
                if summary.blockedWhileAccepting == 1 { onFirstBlock() }
            } else if woken {
                summary.refusedAfterWake = true
            }
            return
        }
    }

    func upstreamRequestWritable(_ connection: UpstreamConnection) {
        woken = true
        produce(connection)
    }

    func upstreamResponseHead(_ connection: UpstreamConnection, head: HTTPResponseHead, bytes: UnsafeRawBufferPointer) {}
    func upstreamResponseBody(_ connection: UpstreamConnection, bytes: UnsafeRawBufferPointer) {}

    func upstreamResponseEnd(_ connection: UpstreamConnection, trailers: UnsafeRawBufferPointer?) {
        onFinish(summary)
    }

    func upstreamFailed(_ connection: UpstreamConnection, error: HTTPClientError) {
        summary.error = error
        onFinish(summary)
    }
}
