import Dispatch
import Testing
import SluiceHTTP
import SluiceTestSupport

extension EngineSuite {
    /// The upstream client against scripted raw servers on loopback: framing, interim responses,
    /// failures and timeouts. Every wait ends on a callback signal, with a timeout that fails the test.
    @Suite struct UpstreamConnectionTests {
        static let get = Array("GET /resource HTTP/1.1\r\nHost: upstream\r\n\r\n".utf8)

        /// Sends one request through a fresh pool and returns what the handler recorded, plus the
        /// pool's open and idle counts after the exchange ended.
        func exchange(
            port: UInt16, request: [UInt8] = UpstreamConnectionTests.get, method: HTTPMethod = .GET,
            configuration: UpstreamClientConfiguration = UpstreamClientConfiguration(),
            host: String = "127.0.0.1", pauseBody: Bool = false
        ) throws -> (record: UpstreamExchangeRecord, open: Int, idle: Int) {
            let loop = try UpstreamTestLoop()
            defer { loop.shutdown() }
            let target = UpstreamTarget(host: host, port: port)
            let result: (UpstreamExchangeRecord, Int, Int)? = loop.run { eventLoop, finish in
                let pools = UpstreamPools(loop: eventLoop, configuration: configuration)
                do {
                    let pool = try pools.pool(for: target)
                    let connection = try pool.checkout()
                    let handler = UpstreamRecordingHandler(loop: eventLoop, pauseEveryBodyPiece: pauseBody) { record in
                        let counts = (pool.openCount, pool.idleCount)
                        pool.closeIdle() // no descriptor outlives the test
                        finish((record, counts.0, counts.1))
                    }
                    #expect(connection.startRequest(head: request, method: method, idempotent: method.isIdempotent, handler: handler))
                } catch let error as HTTPClientError {
                    var record = UpstreamExchangeRecord()
                    record.error = error
                    finish((record, -1, -1))
                } catch {
                    Issue.record("unexpected \(error)")
                    finish((UpstreamExchangeRecord(), -1, -1))
                }
            }
            let outcome = try #require(result, "the exchange did not end in time")
            return (outcome.0, outcome.1, outcome.2)
        }

        @Test func contentLengthResponseIsDeliveredAndTheConnectionKept() throws {
            let server = try ScriptedUpstreamServer { connection in
                guard connection.readRequest() != nil else { return }
                connection.write("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello world")
                _ = connection.waitForEOF()
            }
            defer { server.stop() }
            let (record, open, idle) = try exchange(port: server.port)
            #expect(record.error == nil)
            #expect(record.status == 200)
            #expect(record.head == "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n")
            #expect(record.bodyText == "hello world")
            #expect(record.ended)
            #expect(open == 1)
            #expect(idle == 1)
        }

        @Test func bodySplitAcrossWritesArrivesWhole() throws {
            let body = String(repeating: "0123456789", count: 20_000)
            let server = try ScriptedUpstreamServer { connection in
                guard connection.readRequest() != nil else { return }
                connection.write("HTTP/1.1 200 OK\r\nContent-Length: \(body.utf8.count)\r\n\r\n")
                var rest = Substring(body)
                while !rest.isEmpty {
                    connection.write(String(rest.prefix(7_919)))
                    rest = rest.dropFirst(7_919)
                }
                _ = connection.waitForEOF()
            }
            defer { server.stop() }
            let (record, _, idle) = try exchange(port: server.port, pauseBody: true)
            #expect(record.error == nil)
            #expect(record.body.count == body.utf8.count)
            #expect(record.bodyText == body)
            #expect(idle == 1)
        }

        @Test func closeDelimitedResponseEndsAtEOFAndIsNotReused() throws {
            let server = try ScriptedUpstreamServer { connection in
                guard connection.readRequest() != nil else { return }
                connection.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil ")
                connection.write("the end")
                connection.close()
            }
            defer { server.stop() }
            let (record, open, idle) = try exchange(port: server.port)
            #expect(record.error == nil)
            #expect(record.ended)
            #expect(record.bodyText == "until the end")
            #expect(open == 0)
            #expect(idle == 0)
        }

        @Test func chunkedResponseWithTrailers() throws {
            let server = try ScriptedUpstreamServer { connection in
                guard connection.readRequest() != nil else { return }
                connection.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")
                connection.write("6;ext=1\r\n world\r\n0\r\n")
                connection.write("X-Checksum: abc\r\nX-Count: 2\r\n\r\n")
                _ = connection.waitForEOF()
            }
            defer { server.stop() }
            let (record, _, idle) = try exchange(port: server.port)
            #expect(record.error == nil)
            #expect(record.bodyText == "hello world")
            #expect(record.trailers == "X-Checksum: abc\r\nX-Count: 2\r\n")
            #expect(idle == 1)
        }

        @Test func responseTrickledByteByByte() throws {
            let response = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\n\r\n"
                + "4\r\nwxyz\r\n10\r\n0123456789abcdef\r\n0\r\nX-T: done\r\n\r\n"
            let server = try ScriptedUpstreamServer { connection in
                guard connection.readRequest() != nil else { return }
                for byte in response.utf8 { connection.write([byte]) }
                _ = connection.waitForEOF()
            }
            defer { server.stop() }
            let (record, _, idle) = try exchange(port: server.port)
            #expect(record.error == nil)
            #expect(record.head == "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\n\r\n")
            #expect(record.bodyText == "wxyz0123456789abcdef")
            #expect(record.trailers == "X-T: done\r\n")
            #expect(idle == 1)
        }

        @Test func chunkedResponseWithoutTrailers() throws {
            let server = try ScriptedUpstreamServer { connection in
                guard connection.readRequest() != nil else { return }
                connection.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n")
                _ = connection.waitForEOF()
            }
            defer { server.stop() }
            let (record, _, idle) = try exchange(port: server.port)
            #expect(record.bodyText == "abc")
            #expect(record.ended)
            #expect(record.trailers == nil)
            #expect(idle == 1)
        }

        @Test(arguments: [
            (HTTPMethod.HEAD, "HEAD /resource HTTP/1.1\r\nHost: upstream\r\n\r\n", "200 OK"),
            (HTTPMethod.GET, "GET /resource HTTP/1.1\r\nHost: upstream\r\n\r\n", "204 No Content"),
            (HTTPMethod.GET, "GET /resource HTTP/1.1\r\nHost: upstream\r\n\r\n", "304 Not Modified"),
        ])
        func bodylessResponsesIgnoreContentLength(method: HTTPMethod, request: String, status: String) throws {
            // The server announces a body it does not send (as a HEAD answer must): the response ends
            // at the head and the connection stays reusable.
            let server = try ScriptedUpstreamServer { connection in
                while connection.readRequest() != nil {
                    connection.write("HTTP/1.1 \(status)\r\nContent-Length: 1234\r\n\r\n")
                }
            }
            defer { server.stop() }
            let (record, open, idle) = try exchange(port: server.port, request: Array(request.utf8), method: method)
            #expect(record.error == nil)
            #expect(record.ended)
            #expect(record.body.isEmpty)
            #expect(open == 1)
            #expect(idle == 1)
        }

        @Test func interimResponsesAreSkipped() throws {
            let server = try ScriptedUpstreamServer { connection in
                guard connection.readRequest() != nil else { return }
                connection.write("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n")
                connection.write("HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok")
                _ = connection.waitForEOF()
            }
            defer { server.stop() }
            let post = Array("POST /r HTTP/1.1\r\nHost: u\r\nContent-Length: 3\r\n\r\nabc".utf8)
            let (record, _, idle) = try exchange(port: server.port, request: post, method: .POST)
            #expect(record.error == nil)
            #expect(record.interimStatuses == [100, 103])
            #expect(record.status == 201)
            #expect(record.bodyText == "ok")
            #expect(idle == 1)
        }

        @Test func upstreamClosingMidBodyIsAResetNotASuccess() throws {
            let server = try ScriptedUpstreamServer { connection in
                guard connection.readRequest() != nil else { return }
                connection.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part")
                connection.close()
            }
            defer { server.stop() }
            let (record, open, _) = try exchange(port: server.port)
            let error = try #require(record.error)
            #expect(error.kind == .reset)
            #expect(error.responseStarted)
            #expect(error.isRetrySafe == false)
            #expect(record.ended == false)
            #expect(open == 0)
        }

        @Test func upstreamClosingMidChunkedBodyIsAReset() throws {
            let server = try ScriptedUpstreamServer { connection in
                guard connection.readRequest() != nil else { return }
                connection.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel")
                connection.close()
            }
            defer { server.stop() }
            let (record, _, _) = try exchange(port: server.port)
            #expect(record.error?.kind == .reset)
            #expect(record.ended == false)
        }

        @Test func upstreamResetBeforeAnswering() throws {
            let server = try ScriptedUpstreamServer { connection in
                guard connection.readRequest() != nil else { return }
                connection.reset()
            }
            defer { server.stop() }
            let (record, _, _) = try exchange(port: server.port)
            let error = try #require(record.error)
            #expect(error.kind == .reset)
            #expect(error.responseStarted == false)
            // A fresh connection was not stale: the upstream may have received the GET and failed
            // on it, so even an idempotent request is not retried (issue #3: idempotent AND reused).
            #expect(error.requestIdempotent)
            #expect(error.connectionReused == false)
            #expect(error.isRetrySafe == false)
        }

        @Test func malformedResponseIsReported() throws {
            let server = try ScriptedUpstreamServer { connection in
                guard connection.readRequest() != nil else { return }
                connection.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello")
                _ = connection.waitForEOF()
            }
            defer { server.stop() }
            let (record, open, _) = try exchange(port: server.port)
            guard case .malformedResponse = record.error?.kind else {
                Issue.record("expected malformedResponse, got \(String(describing: record.error))")
                return
            }
            #expect(open == 0)
        }

        @Test func unaskedSwitchingProtocolsIsMalformed() throws {
            let server = try ScriptedUpstreamServer { connection in
                guard connection.readRequest() != nil else { return }
                connection.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n")
                _ = connection.waitForEOF()
            }
            defer { server.stop() }
            let (record, open, _) = try exchange(port: server.port)
            guard case .malformedResponse = record.error?.kind else {
                Issue.record("expected malformedResponse, got \(String(describing: record.error))")
                return
            }
            #expect(record.status == nil)
            #expect(open == 0)
        }

        @Test func bodyLimitIsEnforced() throws {
            let server = try ScriptedUpstreamServer { connection in
                guard connection.readRequest() != nil else { return }
                connection.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n0123456789abcdef\r\n0\r\n\r\n")
                _ = connection.waitForEOF()
            }
            defer { server.stop() }
            var configuration = UpstreamClientConfiguration()
            configuration.maxResponseBodyBytes = 10
            let (record, _, _) = try exchange(port: server.port, configuration: configuration)
            #expect(record.error?.kind == .bodyTooLarge)
        }

        @Test func connectionRefused() throws {
            let port = try ScriptedSocket.closedPort()
            let (record, _, _) = try exchange(port: port)
            let error = try #require(record.error)
            #expect(error.kind == .connectRefused)
            #expect(error.isRetrySafe)
            #expect(error.target == UpstreamTarget(host: "127.0.0.1", port: port))
        }

        @Test func connectTimeoutAgainstAFullBacklog() throws {
            let listener = try ScriptedFullBacklogListener()
            defer { listener.close() }
            var configuration = UpstreamClientConfiguration()
            configuration.connectTimeoutMilliseconds = 100
            let (record, open, _) = try exchange(port: listener.port, configuration: configuration)
            let error = try #require(record.error)
            #expect(error.kind == .connectTimeout)
            #expect(error.isRetrySafe)
            #expect(open == 0)
        }

        @Test func responseTimeoutWhenTheUpstreamNeverAnswers() throws {
            let server = try ScriptedUpstreamServer { connection in
                guard connection.readRequest() != nil else { return }
                _ = connection.waitForEOF()
            }
            defer { server.stop() }
            var configuration = UpstreamClientConfiguration()
            configuration.responseTimeoutMilliseconds = 100
            let (record, open, _) = try exchange(port: server.port, configuration: configuration)
            let error = try #require(record.error)
            #expect(error.kind == .responseTimeout)
            #expect(error.isRetrySafe == false)
            #expect(open == 0)
        }

        @Test func pausedConsumerTimeDoesNotCountAsAStall() throws {
            let gate = DispatchSemaphore(value: 0)
            let server = try ScriptedUpstreamServer { connection in
                guard connection.readRequest() != nil else { return }
                connection.write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nfirst")
                _ = gate.wait(timeout: .now() + 10)
                connection.write("later")
                _ = connection.waitForEOF()
            }
            defer { server.stop() }
            let loop = try UpstreamTestLoop()
            defer { loop.shutdown() }
            var configuration = UpstreamClientConfiguration()
            configuration.readIdleTimeoutMilliseconds = 40
            let settings = configuration
            let record: UpstreamExchangeRecord? = loop.run { eventLoop, finish in
                guard let pool = try? UpstreamPool(target: UpstreamTarget(host: "127.0.0.1", port: server.port),
                                                   loop: eventLoop, configuration: settings),
                      let connection = try? pool.checkout() else { return }
                let handler = PausingHandler(loop: eventLoop, pauseNanoseconds: 250_000_000, onPaused: { gate.signal() }) {
                    pool.closeIdle()
                    finish($0)
                }
                connection.startRequest(head: Self.get, method: .GET, idempotent: true, handler: handler)
            }
            let result = try #require(record)
            #expect(result.error == nil)
            #expect(result.bodyText == "firstlater")
        }

        @Test func readTimeoutWhenTheBodyStalls() throws {
            let server = try ScriptedUpstreamServer { connection in
                guard connection.readRequest() != nil else { return }
                connection.write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")
                _ = connection.waitForEOF()
            }
            defer { server.stop() }
            var configuration = UpstreamClientConfiguration()
            configuration.readIdleTimeoutMilliseconds = 100
            let (record, _, _) = try exchange(port: server.port, configuration: configuration)
            #expect(record.error?.kind == .readTimeout)
            #expect(record.bodyText == "abc")
        }
    }
}

/// Pauses the response at its first body piece for `pauseNanoseconds` (a consumer whose downstream
/// is slow), then resumes.
final class PausingHandler: UpstreamResponseHandler {
    let loop: EventLoop
    let pauseNanoseconds: UInt64
    let onPaused: () -> Void
    let onFinish: (UpstreamExchangeRecord) -> Void
    var record = UpstreamExchangeRecord()
    var paused = false

    init(loop: EventLoop, pauseNanoseconds: UInt64, onPaused: @escaping () -> Void,
         onFinish: @escaping (UpstreamExchangeRecord) -> Void) {
        self.loop = loop
        self.pauseNanoseconds = pauseNanoseconds
        self.onPaused = onPaused
        self.onFinish = onFinish
    }

    func upstreamResponseHead(_ connection: UpstreamConnection, head: HTTPResponseHead, bytes: UnsafeRawBufferPointer) {
        record.status = head.status
    }

    func upstreamResponseBody(_ connection: UpstreamConnection, bytes: UnsafeRawBufferPointer) {
        record.body.append(contentsOf: bytes)
        guard !paused else { return }
        paused = true
        connection.pauseResponse()
        onPaused()
        loop.schedule(after: pauseNanoseconds) { connection.resumeResponse() }
    }

    func upstreamResponseEnd(_ connection: UpstreamConnection, trailers: UnsafeRawBufferPointer?) {
        record.ended = true
        onFinish(record)
    }

    func upstreamFailed(_ connection: UpstreamConnection, error: HTTPClientError) {
        record.error = error
        onFinish(record)
    }
}
