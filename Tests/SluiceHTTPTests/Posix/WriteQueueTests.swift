import Glibc
import Testing
import SluiceTestSupport
@testable import SluiceHTTP

extension EngineSuite {
    @Suite struct WriteQueueTests {
        @Test func partialWritesAreQueuedAndDeliveredInOrder() throws {
            let (client, server) = try makeLoopbackPair()
            defer { client.close(); server.close() }
            // Small kernel buffers on both ends, so the 4 MB below can never fit whatever the
            // machine's tcp_rmem/tcp_wmem maxima are (autotuning may grow them up to 32 MiB).
            try client.setOption(SOL_SOCKET, SO_RCVBUF, 64 * 1024, "setsockopt(SO_RCVBUF)")
            try server.setOption(SOL_SOCKET, SO_SNDBUF, 64 * 1024, "setsockopt(SO_SNDBUF)")
            var queue = WriteQueue(highWaterMark: 64 * 1024, lowWaterMark: 16 * 1024)
            let head = Array("HEAD".utf8)
            let body = (0..<4_000_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            let done = try head.withUnsafeBytes { h in try body.withUnsafeBytes { b in try queue.write(to: server, h, b) } }
            // 4 MB does not fit in the socket buffers: the rest must be queued (copied).
            let above = queue.isAboveHighWaterMark
            #expect(!done)
            #expect(above)
            var received: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 256 * 1024)
            while received.count < head.count + body.count {
                if !queue.isEmpty { try queue.flush(to: server) }
                if case .processed(let n) = try buffer.withUnsafeMutableBytes({ try client.read(into: $0) }) {
                    received += buffer[0..<n]
                }
            }
            let drained = queue.isEmpty && queue.isAtOrBelowLowWaterMark
            #expect(drained)
            #expect(received.count == head.count + body.count)
            #expect(Array(received[0..<4]) == head)
            #expect(received[4...].elementsEqual(body))
        }

        @Test func smallWriteGoesOutDirectly() throws {
            let (client, server) = try makeLoopbackPair()
            defer { client.close(); server.close() }
            var queue = WriteQueue()
            let parts = [Array("HTTP/1.1 200 OK\r\n".utf8), Array("\r\n".utf8), Array("hello".utf8)]
            let done = try parts[0].withUnsafeBytes { a in try parts[1].withUnsafeBytes { b in try parts[2].withUnsafeBytes { c in
                try queue.write(to: server, a, b, c)
            } } }
            let pending = queue.pendingBytes
            #expect(done)
            #expect(pending == 0)
        }
    }
}
