import Dispatch
import Synchronization

/// An HTTP/1.1 server: `workers` event loops, each with its own `SO_REUSEPORT` listening socket,
/// its connections and one `HTTPServerHandler` made by the factory on that loop.
///
/// Thread-safety: `Sendable`; `start()`, `shutdown(deadline:)` and `wait()` may be called from
/// any thread (shutdown from a signal-handling thread). Lifecycle: `start()` once, `shutdown` once
/// or more, `wait()` returns when every worker has drained and (if the server made its own loops)
/// the loop threads have exited.
public final class HTTPServer: Sendable {
    public typealias HandlerFactory = @Sendable (EventLoop) -> any HTTPServerHandler

    public let configuration: Configuration
    /// The loops the workers run on.
    public let group: EventLoopGroup
    private let ownsGroup: Bool
    private let makeHandler: HandlerFactory
    private let shared: HTTPServerShared

    /// With `group` nil the server starts its own `configuration.workers` loops (and stops them
    /// after shutdown); with a group (shared with upstream clients) it uses one worker per loop.
    public init(configuration: Configuration, group: EventLoopGroup? = nil,
                handlerFactory: @escaping HandlerFactory) throws(SystemError) {
        self.configuration = configuration
        if let group {
            self.group = group
            ownsGroup = false
        } else {
            self.group = try EventLoopGroup(loopCount: configuration.workers, name: "sluice-http")
            ownsGroup = true
        }
        makeHandler = handlerFactory
        shared = HTTPServerShared(workerCount: self.group.count)
    }

    /// Binds one listening socket per worker and starts accepting. Returns the bound port (the
    /// chosen one when the configured port is 0: the first socket picks it, the others reuse it).
    public func start() throws(SystemError) -> UInt16 {
        var listeners: [Socket] = []
        do {
            var address = configuration.listenAddress
            let socketCount = configuration.sharedListener ? 1 : group.count
            for _ in 0..<socketCount {
                let listener = try Socket.listening(at: address, backlog: configuration.backlog, reusePort: true)
                listeners.append(listener)
                if address.port == 0 { address.port = try listener.localAddress().port }
            }
        } catch {
            for listener in listeners { listener.close() }
            throw error
        }
        if configuration.sharedListener {
            listeners = Array(repeating: listeners[0], count: group.count)
            shared.shareListener(users: group.count)
        }
        let port = try listeners[0].localAddress().port
        let configuration = configuration
        let shared = shared
        let makeHandler = makeHandler
        for (index, inbox) in group.inboxes.enumerated() {
            let listener = listeners[index]
            inbox.execute { loop in
                let worker = HTTPServerWorker(index: index, loop: loop, configuration: configuration, listener: listener,
                                              handler: makeHandler(loop), shared: shared)
                do {
                    try worker.start()
                    shared.setWorker(LoopBound(worker, on: loop), at: index)
                } catch {
                    worker.releaseListener()
                    shared.workerFinished()
                }
            }
        }
        return port
    }

    /// Graceful shutdown: stop accepting (listeners close), close idle keep-alive connections,
    /// let in-flight requests finish with `Connection: close`, force-close what is left after
    /// `deadline` (default `configuration.drainDeadline`). Returns at once; `wait()` for the end.
    public func shutdown(deadline: Duration? = nil) {
        let nanoseconds = (deadline ?? configuration.drainDeadline).nanoseconds
        let shared = shared
        for (index, inbox) in group.inboxes.enumerated() {
            inbox.execute { loop in
                shared.worker(at: index)?.value(on: loop).beginDrain(deadline: nanoseconds)
            }
        }
    }

    /// Blocks until shutdown has completed (returns at once when called again). Not from an event
    /// loop. Without a `start()` and a `shutdown()` it never returns.
    public func wait() {
        shared.waitUntilFinished()
        if ownsGroup {
            group.stop()
            group.wait()
        }
    }
}

/// The server state that its loops share: the workers (for shutdown) and the drain countdown.
final class HTTPServerShared: Sendable {
    private let workers: Mutex<[LoopBound<HTTPServerWorker>?]>
    private let remaining: Atomic<Int>
    private let finished = DispatchSemaphore(value: 0)

    init(workerCount: Int) {
        workers = Mutex(Array(repeating: nil, count: workerCount))
        remaining = Atomic(workerCount)
    }

    func setWorker(_ worker: LoopBound<HTTPServerWorker>, at index: Int) {
        workers.withLock { $0[index] = worker }
    }

    func removeWorker(at index: Int) {
        _ = workers.withLock { $0[index].take() }
    }

    func worker(at index: Int) -> LoopBound<HTTPServerWorker>? {
        workers.withLock { $0[index] }
    }

    /// Workers still using the shared listening socket (`Configuration.sharedListener`).
    private let listenerUsers = Atomic<Int>(0)

    func shareListener(users: Int) {
        listenerUsers.store(users, ordering: .releasing)
    }

    /// A worker stopped using the shared listener; the last one closes it (so no worker's epoll
    /// set still holds it and no loop can be accepting from it).
    func releaseSharedListener(_ listener: Socket) {
        if listenerUsers.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 {
            listener.close()
        }
    }

    /// A worker drained (or failed to start); the last one releases `wait()`.
    func workerFinished() {
        if remaining.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 {
            finished.signal()
        }
    }

    /// Blocks until every worker finished; later calls return at once.
    func waitUntilFinished() {
        finished.wait()
        finished.signal()
    }
}
