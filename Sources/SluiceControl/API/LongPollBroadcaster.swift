import SluiceHTTP
import Synchronization

/// Tells every loop's `LongPollRegistry` that a version was published, from whichever thread
/// published it: one `inbox.execute` per loop, and the registry re-reads the store there (so a
/// poll parked just before the notice still sees the new version — no lost wake-up).
///
/// Thread-safety: `Sendable`; `add` runs on each loop at start, `versionPublished` on any thread.
public final class LongPollBroadcaster: Sendable {
    private let registries = Mutex<[(inbox: EventLoopInbox, registry: LoopBound<LongPollRegistry>)]>([])

    public init() {}

    /// Registers a loop's registry (on that loop).
    func add(_ registry: LongPollRegistry, on loop: EventLoop) {
        let bound = LoopBound(registry, on: loop)
        registries.withLock { $0.append((loop.inbox, bound)) }
    }

    /// Wakes the parked polls of every loop.
    public func versionPublished() {
        let targets = registries.withLock { $0 }
        for target in targets {
            let bound = target.registry
            target.inbox.execute { loop in bound.value(on: loop).wake() }
        }
    }

    /// Answers every parked poll with 304 (before a graceful shutdown, so draining does not wait
    /// for them). Returns at once; the answers go out on each loop.
    public func releaseAll() {
        let targets = registries.withLock { $0 }
        for target in targets {
            let bound = target.registry
            target.inbox.execute { loop in bound.value(on: loop).releaseAll() }
        }
    }
}
