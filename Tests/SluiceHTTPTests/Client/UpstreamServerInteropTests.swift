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
        }

        /// Sends `requests` one after the other through one pool and collects the bodies.
        static func run(_ requests: [[UInt8]], port: UInt16, on loop: UpstreamTestLoop) -> Outcome? {
            loop.run(timeoutSeconds: 60) { eventLoop, finish in
                let pools = UpstreamPools(loop: eventLoop)
                let target = UpstreamTarget(host: "127.0.0.1", port: port)
                var outcome = Outcome()
                var index = 0
                func next() {
                    guard index < requests.count else {
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

        /// Many sequential exchanges stay on one pooled connection and none fails (throughput is
        /// the benchmark's business, not a test's).
        @Test func twoThousandSequentialExchangesShareOneConnection() throws {
            let server = try TestServer()
            defer { server.stop() }
            let loop = try UpstreamTestLoop()
            defer { loop.shutdown() }
            let count = 2_000
            let requests = [[UInt8]](repeating: Array("GET /x HTTP/1.1\r\nHost: u\r\n\r\n".utf8), count: count)
            let outcome = try #require(Self.run(requests, port: server.port, on: loop))
            #expect(outcome.errors.isEmpty)
            #expect(outcome.bodies.count == count)
            #expect(outcome.open == 1)
        }
    }
}
