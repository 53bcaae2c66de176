import Synchronization

/// N event loops, each running on its own pthread (not Dispatch).
///
/// Thread-safety: `Sendable`; all methods may be called from any thread. The loops themselves are
/// reached only through their `inboxes`. Lifecycle: loops start running in `init`; `stop()` asks
/// them to return; `wait()` joins the threads.
public final class EventLoopGroup: Sendable {
    /// One per loop, in loop index order.
    public let inboxes: [EventLoopInbox]
    private let threads: [PosixThread]
    private let joined = Atomic<Bool>(false)

    /// Starts `loopCount` loops (default: one per online CPU).
    public init(loopCount: Int = EventLoopGroup.onlineCPUCount, name: String = "sluice-loop") throws(SystemError) {
        Socket.ignoreBrokenPipeSignal()
        var inboxes: [EventLoopInbox] = []
        var threads: [PosixThread] = []
        for index in 0..<max(1, loopCount) {
            let inbox = try EventLoopInbox()
            let epoll = try Epoll()
            let loop = try EventLoop(index: index, epoll: epoll, inbox: inbox)
            let transfer = LoopTransfer(loop)
            inboxes.append(inbox)
            threads.append(try PosixThread.spawn(name: "\(name)-\(index)") {
                transfer.take().run()
            })
        }
        self.inboxes = inboxes
        self.threads = threads
    }

    public var count: Int { inboxes.count }

    /// Asks every loop to return from `run()`; tasks already queued still run. Any thread.
    public func stop() {
        for inbox in inboxes { inbox.stop() }
    }

    /// Blocks until every loop thread has exited (after `stop()`). Not from a loop. Only the first
    /// call joins the threads; later calls return at once.
    public func wait() {
        guard !joined.exchange(true, ordering: .acquiringAndReleasing) else { return }
        for thread in threads { thread.join() }
    }

    /// Number of online CPUs (at least 1).
    public static var onlineCPUCount: Int { SystemInfo.onlineCPUCount }
}
