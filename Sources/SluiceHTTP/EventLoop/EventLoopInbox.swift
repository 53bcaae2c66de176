import Synchronization

/// The thread-safe door into one event loop: tasks enqueued here run on the loop's thread, in
/// order, at its next iteration. This holds the engine's only lock, and it is off the per-request
/// path (used for setup, shutdown, and cross-loop hand-offs).
public final class EventLoopInbox: Sendable {
    /// A task to run on the loop; it receives the loop, the only way to reach loop-confined state.
    public typealias Task = @Sendable (EventLoop) -> Void

    private let tasks = Mutex<[Task]>([])
    /// True while a wakeup is already pending, so a burst of `execute` calls costs one eventfd write.
    private let wakePending = Atomic<Bool>(false)
    let wakeup: EventFD
    let stopRequested = Atomic<Bool>(false)

    init() throws(SystemError) {
        wakeup = try EventFD()
    }

    /// Runs `task` on the loop's thread. Callable from any thread, including the loop's own
    /// (then it runs at the next iteration, never re-entrantly).
    public func execute(_ task: @escaping Task) {
        tasks.withLock { $0.append(task) }
        if !wakePending.exchange(true, ordering: .acquiringAndReleasing) {
            wakeup.notify()
        }
    }

    /// Asks the loop to return from `run()` after its current iteration. Callable from any thread.
    public func stop() {
        stopRequested.store(true, ordering: .releasing)
        wakePending.store(true, ordering: .releasing)
        wakeup.notify()
    }

    /// Takes the queued tasks (loop thread only, after draining the eventfd).
    func takeTasks() -> [Task] {
        wakePending.store(false, ordering: .releasing)
        return tasks.withLock { queued in
            var taken: [Task] = []
            swap(&taken, &queued)
            return taken
        }
    }
}
