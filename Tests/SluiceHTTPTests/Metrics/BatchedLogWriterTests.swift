import Dispatch
import Foundation
import Glibc
import SluiceHTTP
import SluiceTestSupport
import Synchronization
import Testing

@Suite struct BatchedLogWriterTests {
    /// A sink that stops accepting (a FIFO nobody reads, 64 KiB pipe buffer) makes batches pile
    /// up to `maxPendingBytes`; the next batch is dropped and its lines counted, nothing grows.
    /// Once the reader drains the FIFO, `close()` writes everything accepted, in order.
    @Test func aStalledSinkDropsAndCountsInsteadOfGrowing() throws {
        let directory = try TemporaryDirectory(prefix: "sluice-logwriter")
        defer { directory.remove() }
        let path = directory.file("fifo")
        #expect(mkfifo(path, 0o600) == 0)
        let reader = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        #expect(reader >= 0)
        defer { close(reader) }
        let writer = try BatchedLogWriter(sink: try LogSink.appending(to: path), maxPendingBytes: 200_000)

        let first = [UInt8](repeating: UInt8(ascii: "a"), count: 100_000)
        let second = [UInt8](repeating: UInt8(ascii: "b"), count: 100_000)
        #expect(writer.submit(first, lines: 10))
        #expect(writer.submit(second, lines: 10))
        // `first` cannot have been written completely: the pipe holds 64 KiB and nobody reads.
        #expect(!writer.submit([UInt8(ascii: "c")], lines: 3))
        #expect(writer.droppedLines == 3)

        // Drain on another thread while the writer finishes and closes.
        _ = fcntl(reader, F_SETFL, 0)
        let received = ReceivedBytes()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(reader, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { break }
                received.append(chunk[0..<count])
            }
            done.signal()
        }
        writer.close()
        #expect(done.wait(timeout: .now() + 10) == .success)
        #expect(received.bytes == first + second)
        #expect(!writer.submit([1], lines: 1), "closed: dropped")
        #expect(writer.droppedLines == 4)
    }

    @Test func appendsToAFileAcrossWriters() throws {
        let directory = try TemporaryDirectory(prefix: "sluice-logwriter")
        defer { directory.remove() }
        let path = directory.file("access.log")
        for text in ["one\n", "two\n"] {
            let writer = try BatchedLogWriter(sink: try LogSink.appending(to: path))
            writer.submit(Array(text.utf8), lines: 1)
            writer.close()
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "one\ntwo\n")
        #expect(throws: SystemError.self) { try LogSink.appending(to: directory.file("missing/dir/log")) }
    }
}

/// Bytes read by the draining thread.
final class ReceivedBytes: Sendable {
    private let storage = Mutex<[UInt8]>([])
    func append(_ bytes: ArraySlice<UInt8>) { storage.withLock { $0 += bytes } }
    var bytes: [UInt8] { storage.withLock { $0 } }
}
