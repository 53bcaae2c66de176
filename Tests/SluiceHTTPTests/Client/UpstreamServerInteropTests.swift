import Dispatch
import Glibc
import Testing
import SluiceHTTP
import SluiceTestSupport

extension EngineSuite {
    /// The upstream client against the engine's own `HTTPServer` (the `TestServer` of the server
    /// tests): keep-alive reuse, streamed chunked responses, request bodies, 204.
    @Suite struct UpstreamServerInteropTests {
        struct Outcome: Sendable {
            var bodies: [String] = []
            var errors: [HTTPClientError] = []
            var open = 0
            var nanoseconds: UInt64 = 0
        }

        /// Sends `requests` one after the other through one pool and collects the bodies.
        static func run(_ requests: [[UInt8]], port: UInt16, on loop: UpstreamTestLoop) -> Outcome? {
            loop.run(timeoutSeconds: 60) { eventLoop, finish in
                let pools = UpstreamPools(loop: eventLoop)
                let target = UpstreamTarget(host: "127.0.0.1", port: port)
                var outcome = Outcome()
                var index = 0
                let start = MonotonicClock.nanoseconds()
                func next() {
                    guard index < requests.count else {
                        outcome.nanoseconds = MonotonicClock.nanoseconds() - start
                        outcome.open = (try? pools.pool(for: target).openCount) ?? -1
                        pools.closeIdle()
                        finish(outcome)
                        return
                    }
                    let request = requests[index]
                    index += 1
                    do {
                        let connection = try pools.checkout(target)
                        let method: HTTPMethod = request.starts(with: Array("POST".utf8)) ? .POST : .GET
                        connection.startRequest(head: request, method: method, idempotent: method.isIdempotent,
                                                handler: UpstreamRecordingHandler { record in
                            if let error = record.error {
                                outcome.errors.append(error)
                            } else {
                                outcome.bodies.append("\(record.status ?? 0) \(record.bodyText)")
                            }
                            next()
                        })
                    } catch {
                        outcome.errors.append(error)
                        next()
                    }
                }
                next()
            }
        }

        @Test func exchangesWithTheEngineServerReuseOneConnection() throws {
            let server = try TestServer()
            defer { server.stop() }
            let loop = try UpstreamTestLoop()
            defer { loop.shutdown() }
            let requests = [
                Array("GET /hello HTTP/1.1\r\nHost: u\r\n\r\n".utf8),
                Array("GET /stream HTTP/1.1\r\nHost: u\r\n\r\n".utf8),
                Array("POST /echo HTTP/1.1\r\nHost: u\r\nContent-Length: 4\r\n\r\nping".utf8),
                Array("POST /chunked HTTP/1.1\r\nHost: u\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n1\r\nc\r\n0\r\n\r\n".utf8),
                Array("GET /nocontent HTTP/1.1\r\nHost: u\r\n\r\n".utf8),
                Array("GET /last HTTP/1.1\r\nHost: u\r\n\r\n".utf8),
            ]
            let outcome = try #require(Self.run(requests, port: server.port, on: loop))
            #expect(outcome.errors.isEmpty)
            #expect(outcome.bodies == [
                "200 GET /hello body=",
                "200 one,two,three",
                "200 POST /echo body=ping",
                "200 POST /chunked body=abc",
                "204 ",
                "200 GET /last body=",
            ])
            #expect(outcome.open == 1)
        }

        static func processCPUNanoseconds() -> UInt64 {
            var spec = timespec()
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
            return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
        }

        @Test func sequentialThroughputOnOnePooledConnection() throws {
            let server = try TestServer()
            defer { server.stop() }
            let loop = try UpstreamTestLoop()
            defer { loop.shutdown() }
            let count = 2_000
            let requests = [[UInt8]](repeating: Array("GET /x HTTP/1.1\r\nHost: u\r\n\r\n".utf8), count: count)
            let cpuBefore = Self.processCPUNanoseconds()
            let outcome = try #require(Self.run(requests, port: server.port, on: loop))
            let cpu = Self.processCPUNanoseconds() - cpuBefore
            #expect(outcome.errors.isEmpty)
            #expect(outcome.bodies.count == count)
            #expect(outcome.open == 1)
            #if DEBUG
            let build = "debug"
            #else
            let build = "release"
            #endif
            print("upstream client (\(build)): \(count) sequential keep-alive exchanges with the engine server, "
                  + "\(outcome.nanoseconds / UInt64(count) / 1000) µs wall each, "
                  + "\(cpu / UInt64(count) / 1000) µs process CPU each (client + server + test)")
        }
    }
}
