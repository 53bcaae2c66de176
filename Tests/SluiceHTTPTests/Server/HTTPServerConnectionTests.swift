import Dispatch
import Glibc
import Synchronization
import Testing
import SluiceTestSupport
@testable import SluiceHTTP

/// The connection state machine across requests of one keep-alive connection: errors, timeouts and
/// back-pressure on the second and later requests, and nothing processed after the last response.
extension EngineSuite {
    @Suite struct HTTPServerConnectionTests {
        static let badHead = "GET /bad HTTP/1.1\r\nHost: a\r\nBad Header: x\r\n\r\n"

        @Test func malformedSecondHeadIs400AndCloses() throws {
            let server = try TestServer()
            let client = try TestTCPClient(port: server.port, timeoutSeconds: 2)
            try client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try client.readResponse().status == 200)
            try client.send(Self.badHead)
            let response = try client.readResponse()
            #expect(response.status == 400)
            #expect(response.header("Connection") == "close")
            #expect(client.waitForClose())
        }

        @Test func bytesAfterARejectedHeadNeverReachTheHandler() throws {
            let server = try TestServer()
            let client = try TestTCPClient(port: server.port, timeoutSeconds: 2)
            try client.send("POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n")
            #expect(try client.readResponse().status == 200)
            // A rejected head, then bytes that would complete a head if the parser kept its state.
            try client.send("GET /a HTTP/1.1\r\nHost: internal\r\nBad Header: x\r\n")
            try client.send("DELETE /admin HTTP/1.1\r\nX: 1\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 400)
            #expect(client.waitForClose())
            #expect(server.events.heads.load(ordering: .relaxed) == 1)
        }

        @Test func slowLorisOnTheSecondRequestGets408() throws {
            let server = try TestServer {
                $0.headerReadTimeout = .milliseconds(200)
                $0.idleTimeout = .seconds(10)
            }
            let client = try TestTCPClient(port: server.port, timeoutSeconds: 3)
            try client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try client.readResponse().status == 200)
            let start = MonotonicClock.nanoseconds()
            try client.send("G")
            let response = try client.readResponse()
            let elapsed = MonotonicClock.nanoseconds() - start
            #expect(response.status == 408)
            #expect(client.waitForClose())
            #expect(elapsed >= 200_000_000)
            #expect(elapsed < 1_500_000_000)
        }

        @Test func errorAfterAHEADRequestCarriesItsBody() throws {
            let server = try TestServer()
            let client = try TestTCPClient(port: server.port, timeoutSeconds: 2)
            try client.send("HEAD / HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try client.readResponse(bodyless: true).status == 200)
            try client.send(Self.badHead)
            let response = try client.readResponse()
            #expect(response.status == 400)
            #expect(response.bodyText.hasPrefix(#"{"error":""#))
            #expect(client.waitForClose())
        }

        @Test func pipeliningWithoutReadingKeepsTheWriteQueueBounded() throws {
            let server = try TestServer()
            let client = try TestTCPClient(port: server.port, receiveBufferSize: 16384)
            let padding = String(repeating: "p", count: 3000)
            let count = 6000
            var requests: [UInt8] = []
            requests.reserveCapacity(count * 3100)
            for index in 0..<count {
                requests += Array("GET /\(index)-\(padding) HTTP/1.1\r\nHost: a\r\n\r\n".utf8)
            }
            let all = requests
            let descriptor = client.descriptor
            let sent = DispatchSemaphore(value: 0)
            let sender = try PosixThread.spawn(name: "pipeliner") {
                var offset = 0
                while offset < all.count {
                    let n = all.withUnsafeBytes { send(descriptor, $0.baseAddress! + offset, all.count - offset, Int32(MSG_NOSIGNAL)) }
                    if n <= 0 { break }
                    offset += n
                }
                sent.signal()
            }
            // A server that keeps parsing lets the whole pipeline in (and queues every response)
            // well within this; a bounded one stops reading and the sender blocks until we read.
            let sentEverything = sent.wait(timeout: .now() + .milliseconds(500)) == .success
            let queuedWhileNotReading = server.events.maxQueuedBytes.load(ordering: .relaxed)
            for index in 0..<count {
                let response = try client.readResponse()
                if response.bodyText != "GET /\(index)-\(padding) body=" {
                    Issue.record("response \(index) out of order: \(response.bodyText.prefix(20))")
                    break
                }
            }
            if !sentEverything { sent.wait() }
            sender.join()
            let limit = 256 * 1024 + 16 * 1024
            #expect(queuedWhileNotReading <= limit)
            #expect(server.events.maxQueuedBytes.load(ordering: .relaxed) <= limit)
        }

        @Test func nothingIsProcessedAfterAConnectionCloseResponse() throws {
            let server = try TestServer()
            let client = try TestTCPClient(port: server.port, timeoutSeconds: 3, receiveBufferSize: 65536)
            // The 6 MB response is still (partly) queued when the `Connection: close` one is produced.
            try client.send("GET /mb HTTP/1.1\r\nHost: a\r\n\r\n"
                + "GET /c HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
                + String(repeating: "POST /after HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi", count: 3))
            let big = try client.readResponse()
            #expect(big.body.count == TestHandler.mbBody.count)
            let last = try client.readResponse()
            #expect(last.bodyText == "GET /c body=")
            #expect(last.header("Connection") == "close")
            #expect(try client.readToEnd().isEmpty)
            #expect(server.events.afterHeads.load(ordering: .relaxed) == 0)
        }

        @Test func readsDoNotExtendTheWriteTimeout() throws {
            let server = try TestServer {
                $0.writeTimeout = .milliseconds(300)
                $0.headerReadTimeout = .seconds(10)
                $0.idleTimeout = .seconds(10)
                $0.bodyReadTimeout = .seconds(10)
            }
            let client = try TestTCPClient(port: server.port, receiveBufferSize: 4096)
            // A response the client never reads, then a head trickled one byte per 50 ms (4 s).
            try client.send("GET /mb HTTP/1.1\r\nHost: a\r\n\r\n")
            let descriptor = client.descriptor
            let start = MonotonicClock.nanoseconds()
            let cutOffAfter = SharedValue()
            let trickler = try PosixThread.spawn(name: "trickle") {
                for byte in Array("GET / HTTP/1.1\r\nHost: a\r\nX-A: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".utf8) {
                    var value = byte
                    if send(descriptor, &value, 1, Int32(MSG_NOSIGNAL)) != 1 {
                        cutOffAfter.value.store(MonotonicClock.nanoseconds() - start, ordering: .relaxed)
                        return
                    }
                    usleep(50_000)
                }
            }
            trickler.join()
            let elapsed = cutOffAfter.value.load(ordering: .relaxed)
            #expect(elapsed != 0, "the connection outlived the trickle")
            #expect(elapsed < 2_000_000_000)
        }

        @Test func aLargeUploadYieldsToOtherConnectionsAndCompletes() throws {
            let server = try TestServer { $0.maxRequestBodyBytes = 1 << 30 }
            let uploader = try server.client()
            let length = 32 * 1024 * 1024
            try uploader.send("POST /count HTTP/1.1\r\nHost: a\r\nContent-Length: \(length)\r\n\r\n")
            let descriptor = uploader.descriptor
            let pump = try PosixThread.spawn(name: "uploader") {
                let chunk = [UInt8](repeating: 0x75, count: 4 << 20)
                var left = length
                while left > 0 {
                    let n = chunk.withUnsafeBytes { send(descriptor, $0.baseAddress!, min(left, $0.count), Int32(MSG_NOSIGNAL)) }
                    if n <= 0 { return }
                    left -= n
                }
            }
            // Served while the upload streams in (reads beyond one drive's budget resume from a timer).
            let other = try server.client()
            try other.send("GET /other HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try other.readResponse().bodyText == "GET /other body=")
            pump.join()
            let uploaded = try uploader.readResponse()
            #expect(uploaded.status == 200)
            #expect(uploaded.bodyText == "bytes=\(length)")
        }

        /// A value written by a client thread and read by the test.
        final class SharedValue: Sendable {
            let value = Atomic<UInt64>(0)
        }
    }
}
