import Dispatch
import Synchronization

/// A log writer thread fed with whole batches of lines: event loops build lines in their own
/// buffers and hand a full buffer over with `submit` (one short lock per batch, never per line);
/// the thread writes batches to the `LogSink` in submission order.
///
/// Bounded: at most `maxPendingBytes` wait to be written. A batch that does not fit is dropped
/// and its lines counted in `droppedLines` (a slow disk never makes the proxy grow or block).
/// `close()` writes everything still queued, joins the thread and closes the sink.
///
/// Thread-safety: `Sendable`; `submit` from any thread, `close` once from one thread.
public final class BatchedLogWriter: Sendable {
    private struct State {
        var batches: [[UInt8]] = []
        var pendingBytes = 0
        var droppedLines: UInt64 = 0
        var writeErrors: UInt64 = 0
        var closing = false
    }

    public let maxPendingBytes: Int
    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)
    private let thread = Mutex<PosixThread?>(nil)

    public init(sink: LogSink, maxPendingBytes: Int = 8 << 20, threadName: String = "sluice-log") throws(SystemError) {
        self.maxPendingBytes = maxPendingBytes
        let spawned = try PosixThread.spawn(name: threadName) { [self] in self.run(sink) }
        thread.withLock { $0 = spawned }
    }

    /// Queues `batch` (holding `lines` lines) for writing; false when it was dropped (queue full
    /// or writer closed).
    @discardableResult
    public func submit(_ batch: [UInt8], lines: Int) -> Bool {
        let accepted = state.withLock { state -> Bool in
            guard !state.closing, state.pendingBytes + batch.count <= maxPendingBytes else {
                state.droppedLines &+= UInt64(lines)
                return false
            }
            state.batches.append(batch)
            state.pendingBytes += batch.count
            return true
        }
        if accepted { wake.signal() }
        return accepted
    }

    /// Lines dropped because the queue was full (or the writer closed).
    public var droppedLines: UInt64 { state.withLock { $0.droppedLines } }
    /// Batches the sink refused (`write` failed); their lines are lost.
    public var writeErrors: UInt64 { state.withLock { $0.writeErrors } }

    /// Writes what is queued, stops the thread and closes the sink. Later `submit`s are dropped.
    public func close() {
        state.withLock { $0.closing = true }
        wake.signal()
        let spawned = thread.withLock { current -> PosixThread? in
            let taken = current
            current = nil
            return taken
        }
        spawned?.join()
    }

    private func run(_ sink: LogSink) {
        while true {
            wake.wait()
            let (batches, closing) = state.withLock { state -> ([[UInt8]], Bool) in
                let taken = state.batches
                state.batches.removeAll()
                return (taken, state.closing)
            }
            for batch in batches {
                let failed = sink.write(batch) != nil
                state.withLock { state in
                    state.pendingBytes -= batch.count
                    if failed { state.writeErrors &+= 1 }
                }
            }
            if closing && batches.isEmpty { break }
            if closing { wake.signal() }
        }
        sink.close()
    }
}
