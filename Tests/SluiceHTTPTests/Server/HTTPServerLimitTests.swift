import Dispatch
import Glibc
import Synchronization
import Testing
import SluiceTestSupport
@testable import SluiceHTTP

extension EngineSuite {
    @Suite struct HTTPServerLimitTests {
        /// Sends `request`, expects `status` with a JSON error body, `Connection: close`, then EOF.
        func expectRejected(_ request: String, status: Int, server: TestServer) throws {
            let client = try server.client()
            try client.send(request)
            let response = try client.readResponse()
            #expect(response.status == status)
            #expect(response.header("Connection") == "close")
            #expect(response.header("Content-Type") == "application/json")
            #expect(response.bodyText.hasPrefix(#"{"error":""#))
            #expect(client.waitForClose())
        }

        @Test func malformedRequestIs400() throws {
            let server = try TestServer()
            try expectRejected("GET / HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n", status: 400, server: server)
            try expectRejected("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", status: 400, server: server)
        }

        @Test func longRequestLineIs414() throws {
            let server = try TestServer()
            let path = "/" + String(repeating: "a", count: 9000)
            try expectRejected("GET \(path) HTTP/1.1\r\nHost: x\r\n\r\n", status: 414, server: server)
        }

        @Test func oversizedHeadIs431() throws {
            let server = try TestServer()
            let field = "X-Big: " + String(repeating: "b", count: 40_000) + "\r\n"
            try expectRejected("GET / HTTP/1.1\r\nHost: x\r\n\(field)\r\n", status: 431, server: server)
        }

        @Test func knownLengthOverTheLimitIs413BeforeTheBody() throws {
            let server = try TestServer { $0.maxRequestBodyBytes = 1000 }
            try expectRejected("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n", status: 413, server: server)
        }

        @Test func chunkedBodyOverTheLimitIs413() throws {
            let server = try TestServer { $0.maxRequestBodyBytes = 10 }
            let client = try server.client()
            try client.send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n8\r\n12345678\r\n")
            let response = try client.readResponse()
            #expect(response.status == 413)
            #expect(client.waitForClose())
        }

        @Test func slowLorisIsCutOffAtTheHeaderTimeout() throws {
            let server = try TestServer { $0.headerReadTimeout = .milliseconds(200) }
            let client = try server.client()
            let start = MonotonicClock.nanoseconds()
            // The attacker: one byte every 30 ms, far slower than a head within 200 ms allows.
            let descriptor = client.descriptor
            let cutOff = SharedFlag()
            let attacker = try PosixThread.spawn(name: "slowloris") {
                for byte in Array("GET / HTTP/1.1\r\nHost: slow\r\nX-A: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n".utf8) {
                    if cutOff.isSet { return }
                    var value = byte
                    if send(descriptor, &value, 1, Int32(MSG_NOSIGNAL)) != 1 { return }
                    usleep(30_000)
                }
            }
            let response = try client.readResponse()
            let elapsed = MonotonicClock.nanoseconds() - start
            #expect(response.status == 408)
            #expect(client.waitForClose())
            cutOff.set()
            attacker.join()
            #expect(elapsed >= 200_000_000)
            #expect(elapsed < 1_500_000_000)
        }

        @Test func idleConnectionIsClosedSilently() throws {
            let server = try TestServer {
                $0.idleTimeout = .milliseconds(100)
                $0.headerReadTimeout = .milliseconds(100)
            }
            let client = try server.client()
            try client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            _ = try client.readResponse()
            // No second request: the idle timeout closes the connection without a response.
            #expect(try client.readToEnd().isEmpty)
        }

        @Test func connectionLimitPausesAcceptingWithoutSpinning() throws {
            let server = try TestServer { $0.maxConnectionsPerWorker = 2 }
            let first = try server.client()
            let second = try server.client()
            for client in [first, second] {
                try client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try client.readResponse().status == 200)
            }
            // The third connects (kernel backlog) but is not served while two are open.
            let third = try TestTCPClient(port: server.port, timeoutSeconds: 1)
            try third.send("GET /third HTTP/1.1\r\nHost: x\r\n\r\n")
            let cpuBefore = Self.processCPUNanoseconds()
            #expect(throws: TestClientError.self) { try third.readResponse() }
            let cpuSpent = Self.processCPUNanoseconds() - cpuBefore
            // Waiting 1 s blocked on a read: a spinning loop would burn ~1 s of CPU here.
            #expect(cpuSpent < 300_000_000)
            first.close()
            let thirdAgain = try third.readResponse()
            #expect(thirdAgain.bodyText == "GET /third body=")
        }

        final class SharedFlag: Sendable {
            private let flag = Atomic<Bool>(false)
            var isSet: Bool { flag.load(ordering: .acquiring) }
            func set() { flag.store(true, ordering: .releasing) }
        }

        static func processCPUNanoseconds() -> UInt64 {
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            let user = UInt64(usage.ru_utime.tv_sec) * 1_000_000_000 + UInt64(usage.ru_utime.tv_usec) * 1000
            let system = UInt64(usage.ru_stime.tv_sec) * 1_000_000_000 + UInt64(usage.ru_stime.tv_usec) * 1000
            return user + system
        }
    }
}
