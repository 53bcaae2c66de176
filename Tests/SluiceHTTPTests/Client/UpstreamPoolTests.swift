import Dispatch
import Glibc
import Testing
import SluiceHTTP
import SluiceTestSupport

extension EngineSuite {
    /// Pool behaviour against scripted servers on loopback: reuse, idle timeout, stale connections,
    /// limits, streamed request bodies.
    @Suite struct UpstreamPoolTests {
        static let get = Array("GET /r HTTP/1.1\r\nHost: upstream\r\n\r\n".utf8)

        /// Answers every request on a connection with a 5-byte body, keeping the connection open.
        static func keepAliveServer() throws -> ScriptedUpstreamServer {
            try ScriptedUpstreamServer { connection in
                while connection.readRequest() != nil {
                    connection.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")
                }
            }
        }

        struct Summary: Sendable {
            var succeeded = 0
            var reusedExchanges = 0
            var errors: [HTTPClientError] = []
            var open = 0
            var idle = 0
            var connectsStarted = 0
            var reuses = 0
        }

        /// Sends `count` requests one after the other through one pool (each started from the previous
        /// one's end callback).
        static func sequential(_ count: Int, port: UInt16, configuration: UpstreamClientConfiguration = UpstreamClientConfiguration(),
                               on loop: UpstreamTestLoop) -> Summary? {
            loop.run { eventLoop, finish in
                let pools = UpstreamPools(loop: eventLoop, configuration: configuration)
                let target = UpstreamTarget(host: "127.0.0.1", port: port)
                var summary = Summary()
                var remaining = count
                func next() {
                    guard remaining > 0, let pool = try? pools.pool(for: target) else {
                        let pool = try? pools.pool(for: target)
                        summary.open = pool?.openCount ?? -1
                        summary.idle = pool?.idleCount ?? -1
                        summary.connectsStarted = pool?.connectsStarted ?? -1
                        summary.reuses = pool?.reuses ?? -1
                        pools.closeIdle()
                        finish(summary)
                        return
                    }
                    remaining -= 1
                    do {
                        let connection = try pool.checkout()
                        let handler = UpstreamRecordingHandler { record in
                            if let error = record.error {
                                summary.errors.append(error)
                            } else if record.bodyText == "hello" {
                                summary.succeeded += 1
                            }
                            if record.connectionReuseCount > 0 { summary.reusedExchanges += 1 }
                            next()
                        }
                        connection.startRequest(head: get, method: .GET, idempotent: true, handler: handler)
                    } catch {
                        summary.errors.append(error)
                        next()
                    }
                }
                next()
            }
        }

        @Test func fiftySequentialRequestsUseOneConnection() throws {
            let server = try Self.keepAliveServer()
            defer { server.stop() }
            let loop = try UpstreamTestLoop()
            defer { loop.shutdown() }
            let summary = try #require(Self.sequential(50, port: server.port, on: loop))
            #expect(summary.errors.isEmpty)
            #expect(summary.succeeded == 50)
            #expect(summary.reusedExchanges == 49)
            #expect(summary.connectsStarted == 1)
            #expect(summary.reuses == 49)
            #expect(server.acceptedConnections == 1)
            #expect(summary.open == 1)
            #expect(summary.idle == 1)
        }

        @Test func connectionCloseResponsesAreNotReused() throws {
            let server = try ScriptedUpstreamServer { connection in
                guard connection.readRequest() != nil else { return }
                connection.write("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 5\r\n\r\nhello")
            }
            defer { server.stop() }
            let loop = try UpstreamTestLoop()
            defer { loop.shutdown() }
            let summary = try #require(Self.sequential(3, port: server.port, on: loop))
            #expect(summary.succeeded == 3)
            #expect(server.acceptedConnections == 3)
            #expect(summary.open == 0)
        }

        /// Runs one request, then waits on the loop until `condition(pool)` holds (checked every tick),
        /// then reports the pool's counts.
        static func requestThenWait(port: UInt16, configuration: UpstreamClientConfiguration, on loop: UpstreamTestLoop,
                                    until condition: @escaping @Sendable (UpstreamPool) -> Bool,
                                    then followUp: Bool) -> (first: UpstreamExchangeRecord, second: UpstreamExchangeRecord?, open: Int, idle: Int)? {
            loop.run { eventLoop, finish in
                guard let pool = try? UpstreamPool(target: UpstreamTarget(host: "127.0.0.1", port: port),
                                                   loop: eventLoop, configuration: configuration),
                      let connection = try? pool.checkout() else {
                    Issue.record("pool setup failed")
                    return
                }
                func waitForCondition(_ first: UpstreamExchangeRecord) {
                    guard condition(pool) else {
                        eventLoop.schedule(after: 2_000_000) { waitForCondition(first) }
                        return
                    }
                    guard followUp, let next = try? pool.checkout() else {
                        finish((first, nil, pool.openCount, pool.idleCount))
                        return
                    }
                    next.startRequest(head: get, method: .GET, idempotent: true, handler: UpstreamRecordingHandler { second in
                        let counts = (pool.openCount, pool.idleCount)
                        pool.closeIdle()
                        finish((first, second, counts.0, counts.1))
                    })
                }
                connection.startRequest(head: get, method: .GET, idempotent: true, handler: UpstreamRecordingHandler { first in
                    waitForCondition(first)
                })
            }
        }

        @Test func idleTimeoutClosesPooledConnections() throws {
            let server = try Self.keepAliveServer()
            defer { server.stop() }
            let loop = try UpstreamTestLoop()
            defer { loop.shutdown() }
            var configuration = UpstreamClientConfiguration()
            configuration.idleTimeoutMilliseconds = 50
            let waited = Self.requestThenWait(port: server.port, configuration: configuration, on: loop,
                                              until: { $0.idleCount == 0 }, then: true)
            let result = try #require(waited)
            #expect(result.first.bodyText == "hello")
            #expect(result.second?.bodyText == "hello")
            #expect(result.second?.connectionReuseCount == 0)
            #expect(server.acceptedConnections == 2)
        }

        @Test func staleIdleConnectionClosedByTheServerIsNotReused() throws {
            // The server answers one request with keep-alive, then closes: the idle connection sees EOF
            // and leaves the pool; the next request opens a new connection instead of failing.
            let server = try ScriptedUpstreamServer { connection in
                guard connection.readRequest() != nil else { return }
                connection.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")
            }
            defer { server.stop() }
            let loop = try UpstreamTestLoop()
            defer { loop.shutdown() }
            let waited = Self.requestThenWait(port: server.port, configuration: UpstreamClientConfiguration(), on: loop,
                                              until: { $0.openCount == 0 }, then: true)
            let result = try #require(waited)
            #expect(result.first.bodyText == "hello")
            #expect(result.second?.error == nil)
            #expect(result.second?.bodyText == "hello")
            #expect(result.second?.connectionReuseCount == 0)
            #expect(server.acceptedConnections == 2)
        }

        @Test func noDescriptorLeaksAcrossSuccessesFailuresAndPoolClose() throws {
            let before = FileDescriptorCounter.openCount()
            do {
                let server = try ScriptedUpstreamServer { connection in
                    while let request = connection.readRequest() {
                        let text = String(decoding: request, as: UTF8.self)
                        if text.hasPrefix("GET /close ") {
                            connection.write("HTTP/1.1 200 OK\r\n\r\nbye")
                            return
                        }
                        if text.hasPrefix("GET /cut ") {
                            connection.write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")
                            return
                        }
                        connection.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")
                    }
                }
                let refusedPort = try ScriptedSocket.closedPort()
                let loop = try UpstreamTestLoop()
                let steps: [(String, UInt16)] = [("/a", server.port), ("/close", server.port), ("/b", server.port),
                                                 ("/cut", server.port), ("/c", server.port), ("/d", refusedPort)]
                let outcomes: [String]? = loop.run { eventLoop, finish in
                    let pools = UpstreamPools(loop: eventLoop)
                    var outcomes: [String] = []
                    var index = 0
                    func next() {
                        guard index < steps.count else {
                            pools.closeIdle()
                            finish(outcomes)
                            return
                        }
                        let (path, port) = steps[index]
                        index += 1
                        do {
                            let connection = try pools.checkout(UpstreamTarget(host: "127.0.0.1", port: port))
                            let head = Array("GET \(path) HTTP/1.1\r\nHost: u\r\n\r\n".utf8)
                            connection.startRequest(head: head, method: .GET, idempotent: true,
                                                    handler: UpstreamRecordingHandler { record in
                                outcomes.append(record.error.map { "\($0.kind)" } ?? record.bodyText)
                                next()
                            })
                        } catch {
                            outcomes.append("\(error.kind)")
                            next()
                        }
                    }
                    next()
                }
                loop.shutdown()
                server.stop()
                #expect(outcomes == ["hello", "bye", "hello", "reset", "hello", "connectRefused"])
            }
            #expect(FileDescriptorCounter.openCount() == before)
            if FileDescriptorCounter.openCount() != before { _ = system("ls -l /proc/\(getpid())/fd >&2") }
        }

        @Test func staleConnectionReusedBeforeItsCloseWasSeenFailsRetrySafe() throws {
            // The server answers with keep-alive and closes right after. The next request is sent
            // from the end callback, before the loop can see the close: it goes out on the stale
            // connection and fails with a retry-safe reset; the retry opens a fresh connection.
            let server = try ScriptedUpstreamServer { connection in
                guard connection.readRequest() != nil else { return }
                connection.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")
            }
            defer { server.stop() }
            let loop = try UpstreamTestLoop()
            defer { loop.shutdown() }
            let outcome: ([String], HTTPClientError?)? = loop.run { eventLoop, finish in
                guard let pool = try? UpstreamPool(target: UpstreamTarget(host: "127.0.0.1", port: server.port), loop: eventLoop),
                      let first = try? pool.checkout() else { return }
                var bodies: [String] = []
                func send(_ connection: UpstreamConnection, then: @escaping (UpstreamExchangeRecord) -> Void) {
                    connection.startRequest(head: Self.get, method: .GET, idempotent: true, handler: UpstreamRecordingHandler(onFinish: then))
                }
                send(first) { record in
                    bodies.append(record.bodyText)
                    guard let reused = try? pool.checkout() else { return }
                    send(reused) { stale in
                        guard let error = stale.error, error.isRetrySafe, let fresh = try? pool.checkout() else {
                            finish((bodies, stale.error))
                            return
                        }
                        send(fresh) { retried in
                            bodies.append(retried.bodyText)
                            pool.closeIdle()
                            finish((bodies, error))
                        }
                    }
                }
            }
            let (bodies, staleError) = try #require(outcome)
            let error = try #require(staleError)
            #expect(error.kind == .reset)
            #expect(error.connectionReused)
            #expect(error.responseStarted == false)
            #expect(error.isRetrySafe)
            #expect(bodies == ["hello", "hello"])
            #expect(server.acceptedConnections == 2)
        }

        @Test func poolRefusesBeyondMaxConnections() throws {
            let server = try ScriptedUpstreamServer { connection in
                _ = connection.waitForEOF()
            }
            defer { server.stop() }
            let loop = try UpstreamTestLoop()
            defer { loop.shutdown() }
            var limited = UpstreamClientConfiguration()
            limited.maxConnections = 2
            let configuration = limited
            let outcome: (HTTPClientError.Kind?, Int)? = loop.run { eventLoop, finish in
                guard let pool = try? UpstreamPool(target: UpstreamTarget(host: "127.0.0.1", port: server.port),
                                                   loop: eventLoop, configuration: configuration) else { return }
                var kind: HTTPClientError.Kind?
                var connections: [UpstreamConnection] = []
                for _ in 0..<3 {
                    do throws(HTTPClientError) {
                        connections.append(try pool.checkout())
                    } catch {
                        kind = error.kind
                    }
                }
                let open = pool.openCount
                for connection in connections { connection.cancel() }
                finish((kind, open))
            }
            let (kind, open) = try #require(outcome)
            #expect(kind == .poolExhausted)
            #expect(open == 2)
        }

        @Test func streamedRequestBodyReachesTheUpstream() throws {
            let received = UpstreamTestBox()
            let server = try ScriptedUpstreamServer { connection in
                guard let request = connection.readRequest() else { return }
                received.set(String(decoding: request, as: UTF8.self))
                connection.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")
                _ = connection.waitForEOF()
            }
            defer { server.stop() }
            let loop = try UpstreamTestLoop()
            defer { loop.shutdown() }
            let part = String(repeating: "x", count: 100_000)
            let record: UpstreamExchangeRecord? = loop.run { eventLoop, finish in
                guard let pool = try? UpstreamPool(target: UpstreamTarget(host: "127.0.0.1", port: server.port), loop: eventLoop),
                      let connection = try? pool.checkout() else { return }
                let head = Array("POST /upload HTTP/1.1\r\nHost: u\r\nContent-Length: 300000\r\n\r\n".utf8)
                let handler = UpstreamRecordingHandler { record in
                    pool.closeIdle()
                    finish(record)
                }
                connection.startRequest(head: head, method: .POST, idempotent: false, endOfRequest: false, handler: handler)
                for _ in 0..<3 {
                    _ = Array(part.utf8).withUnsafeBytes { connection.writeRequestBody($0) }
                }
                connection.endRequest()
            }
            let result = try #require(record)
            #expect(result.error == nil)
            #expect(result.bodyText == "hello")
            let request = try #require(received.value)
            #expect(request.hasPrefix("POST /upload HTTP/1.1\r\n"))
            #expect(request.utf8.count == 300_000 + "POST /upload HTTP/1.1\r\nHost: u\r\nContent-Length: 300000\r\n\r\n".utf8.count)
        }
    }

    /// A request body producer that honours backpressure: writes until `writeRequestBody` refuses,
    /// then continues from `upstreamRequestWritable`.
    final class StreamingUploadHandler: UpstreamResponseHandler {
        let piece: [UInt8]
        var remainingPieces: Int
        var blockedCount = 0
        let onBlocked: (Int) -> Void
        let onFinish: (UpstreamExchangeRecord, Int) -> Void
        var record = UpstreamExchangeRecord()

        init(piece: [UInt8], pieces: Int, onBlocked: @escaping (Int) -> Void,
             onFinish: @escaping (UpstreamExchangeRecord, Int) -> Void) {
            self.piece = piece
            remainingPieces = pieces
            self.onBlocked = onBlocked
            self.onFinish = onFinish
        }

        func produce(_ connection: UpstreamConnection) {
            while remainingPieces > 0 {
                remainingPieces -= 1
                let accepted = piece.withUnsafeBytes { connection.writeRequestBody($0) }
                if remainingPieces == 0 {
                    connection.endRequest()
                    return
                }
                if !accepted {
                    blockedCount += 1
                    onBlocked(blockedCount)
                    return
                }
            }
        }

        func upstreamRequestWritable(_ connection: UpstreamConnection) { produce(connection) }

        func upstreamResponseHead(_ connection: UpstreamConnection, head: HTTPResponseHead, bytes: UnsafeRawBufferPointer) {
            record.status = head.status
        }

        func upstreamResponseBody(_ connection: UpstreamConnection, bytes: UnsafeRawBufferPointer) {
            record.body.append(contentsOf: bytes)
        }

        func upstreamResponseEnd(_ connection: UpstreamConnection, trailers: UnsafeRawBufferPointer?) {
            record.ended = true
            onFinish(record, blockedCount)
        }

        func upstreamFailed(_ connection: UpstreamConnection, error: HTTPClientError) {
            record.error = error
            onFinish(record, blockedCount)
        }
    }

    @Suite struct UpstreamRequestStreamingTests {
        static let piece = [UInt8](repeating: UInt8(ascii: "y"), count: 64 * 1024)

        @Test func requestBodyBackpressurePausesAndResumesTheProducer() throws {
            let pieces = 256 // 16 MiB: more than loopback socket buffers hold
            let gate = DispatchSemaphore(value: 0)
            let received = UpstreamTestBox()
            let server = try ScriptedUpstreamServer { connection in
                // Read nothing until the client reports its queue is above the high water mark.
                _ = gate.wait(timeout: .now() + 10)
                guard let request = connection.readRequest() else { return }
                received.set("\(request.count)")
                connection.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                _ = connection.waitForEOF()
            }
            defer { server.stop() }
            let loop = try UpstreamTestLoop()
            defer { loop.shutdown() }
            let head = Array("PUT /big HTTP/1.1\r\nHost: u\r\nContent-Length: \(pieces * Self.piece.count)\r\n\r\n".utf8)
            let outcome: (UpstreamExchangeRecord, Int)? = loop.run { eventLoop, finish in
                guard let pool = try? UpstreamPool(target: UpstreamTarget(host: "127.0.0.1", port: server.port), loop: eventLoop),
                      let connection = try? pool.checkout() else { return }
                let handler = StreamingUploadHandler(piece: Self.piece, pieces: pieces, onBlocked: { count in
                    if count == 1 { gate.signal() }
                }, onFinish: { record, blocked in
                    pool.closeIdle()
                    finish((record, blocked))
                })
                connection.startRequest(head: head, method: .PUT, idempotent: true, endOfRequest: false, handler: handler)
                handler.produce(connection)
            }
            let (record, blocked) = try #require(outcome)
            #expect(record.error == nil)
            #expect(record.bodyText == "ok")
            #expect(blocked >= 1)
            #expect(received.value == "\(head.count + pieces * Self.piece.count)")
        }

        @Test func earlyResponseWhileTheRequestIsStillStreamingIsDelivered() throws {
            let gate = DispatchSemaphore(value: 0)
            let server = try ScriptedUpstreamServer { connection in
                guard connection.readHead() != nil else { return }
                _ = gate.wait(timeout: .now() + 10)
                // Refuse the body: answer and close with the body unread (the kernel sends a reset).
                connection.write("HTTP/1.1 413 Content Too Large\r\nConnection: close\r\nContent-Length: 8\r\n\r\ntoo big!")
                connection.close()
            }
            defer { server.stop() }
            let loop = try UpstreamTestLoop()
            defer { loop.shutdown() }
            let head = Array("POST /big HTTP/1.1\r\nHost: u\r\nContent-Length: \(1024 * Self.piece.count)\r\n\r\n".utf8)
            let outcome: (UpstreamExchangeRecord, Int)? = loop.run { eventLoop, finish in
                guard let pool = try? UpstreamPool(target: UpstreamTarget(host: "127.0.0.1", port: server.port), loop: eventLoop),
                      let connection = try? pool.checkout() else { return }
                let handler = StreamingUploadHandler(piece: Self.piece, pieces: 1024, onBlocked: { count in
                    if count == 1 { gate.signal() }
                }, onFinish: { record, blocked in
                    finish((record, pool.openCount))
                })
                connection.startRequest(head: head, method: .POST, idempotent: false, endOfRequest: false, handler: handler)
                handler.produce(connection)
            }
            let (record, open) = try #require(outcome)
            #expect(record.error == nil)
            #expect(record.status == 413)
            #expect(record.bodyText == "too big!")
            #expect(open == 0)
        }

        @Test func upstreamThatStopsReadingTheRequestTimesOut() throws {
            let release = DispatchSemaphore(value: 0)
            let server = try ScriptedUpstreamServer { connection in
                // Never read: the client's queue fills up and makes no progress.
                _ = release.wait(timeout: .now() + 10)
            }
            defer {
                release.signal()
                server.stop()
            }
            let loop = try UpstreamTestLoop()
            defer { loop.shutdown() }
            var configuration = UpstreamClientConfiguration()
            configuration.readIdleTimeoutMilliseconds = 100
            let settings = configuration
            let head = Array("PUT /big HTTP/1.1\r\nHost: u\r\nContent-Length: \(1024 * Self.piece.count)\r\n\r\n".utf8)
            let outcome: (UpstreamExchangeRecord, Int)? = loop.run { eventLoop, finish in
                guard let pool = try? UpstreamPool(target: UpstreamTarget(host: "127.0.0.1", port: server.port),
                                                   loop: eventLoop, configuration: settings),
                      let connection = try? pool.checkout() else { return }
                let handler = StreamingUploadHandler(piece: Self.piece, pieces: 1024, onBlocked: { _ in },
                                                     onFinish: { finish(($0, $1)) })
                connection.startRequest(head: head, method: .PUT, idempotent: true, endOfRequest: false, handler: handler)
                handler.produce(connection)
            }
            let (record, blocked) = try #require(outcome)
            #expect(blocked >= 1)
            #expect(record.error?.kind == .writeTimeout)
            #expect(record.error?.isRetrySafe == false)
        }
    }
}
