import Dispatch
import SluiceHTTP
import Synchronization

/// One event loop on its own thread for client tests. A test hands it a body that runs on the loop
/// and calls `finish(value)` once, from any loop callback; the test thread waits for that value
/// (with a timeout that fails the test instead of hanging). No sleeps: the wait ends on the signal.
public final class UpstreamTestLoop: Sendable {
    private let group: EventLoopGroup

    public init() throws {
        group = try EventLoopGroup(loopCount: 1, name: "upstream-test")
    }

    /// Stops the loop and joins its thread.
    public func shutdown() {
        group.stop()
        group.wait()
    }

    /// Runs `body` on the loop and waits for it to call `finish`. Returns nil on timeout.
    public func run<Value: Sendable>(
        timeoutSeconds: Double = 10,
        _ body: @escaping @Sendable (EventLoop, _ finish: @escaping (Value) -> Void) -> Void
    ) -> Value? {
        let outcome = UpstreamTestOutcome<Value>()
        group.inboxes[0].execute { loop in
            body(loop) { value in outcome.set(value) }
        }
        return outcome.wait(timeoutSeconds: timeoutSeconds)
    }
}

/// A value delivered once from the loop thread to the waiting test thread.
final class UpstreamTestOutcome<Value: Sendable>: Sendable {
    private let value = Mutex<Value?>(nil)
    private let signal = DispatchSemaphore(value: 0)

    func set(_ newValue: Value) {
        let first = value.withLock { stored in
            if stored != nil { return false }
            stored = newValue
            return true
        }
        if first { signal.signal() }
    }

    func wait(timeoutSeconds: Double) -> Value? {
        guard signal.wait(timeout: .now() + timeoutSeconds) == .success else { return nil }
        return value.withLock { $0 }
    }
}
