/// One thread, one epoll instance: the unit of concurrency of the engine.
///
/// Thread affinity: an `EventLoop` is confined to the thread running `run()`. Every method except
/// through `inbox` must be called on that thread (checked by `assertOnLoop()` in debug builds);
/// other threads reach the loop only with `inbox.execute { loop in ... }`. It is deliberately not
/// `Sendable`.
///
/// Registrations: each registered descriptor gets a slot in a per-loop table; the epoll user data
/// packs slot + generation, and `deregister` bumps the generation, so events for a closed (and
/// possibly reused) descriptor, even ones already returned by the same `epoll_wait`, are dropped
/// instead of reaching a stale handler.
public final class EventLoop {
    private struct Slot {
        var handler: (any EventLoopHandler)?
        var descriptor: Int32 = -1
        var generation: UInt32 = 0
        var nextFree: Int32 = -1
    }

    /// The thread-safe way in: `execute` tasks and `stop()` from any thread.
    public let inbox: EventLoopInbox
    /// Position in its group (0 for a standalone loop).
    public let index: Int
    private let epoll: Epoll
    private var slots: [Slot] = []
    private var freeSlot: Int32 = -1
    private let timers: TimingWheel
    private var running = false
    private var threadID: ThreadID?

    /// Monotonic nanoseconds, refreshed once per loop iteration (after `epoll_wait` returns).
    public private(set) var now: UInt64
    /// The current IMF-fixdate for `Date` headers (29 bytes), refreshed at most once per second.
    public private(set) var httpDate: [UInt8] = []
    /// Changes whenever `httpDate` does, so users can cache lines built from it.
    public private(set) var httpDateSecond = -1

    /// Slot reserved for the inbox's eventfd (never handed out).
    private static let inboxSlot: UInt32 = 0

    init(index: Int, epoll: Epoll, inbox: EventLoopInbox) throws(SystemError) {
        self.index = index
        self.epoll = epoll
        self.inbox = inbox
        now = MonotonicClock.nanoseconds()
        timers = TimingWheel(now: now)
        slots.append(Slot(handler: nil, descriptor: inbox.wakeup.descriptor, generation: 0))
        try epoll.add(inbox.wakeup.descriptor, events: Epoll.readable, data: UInt64(Self.inboxSlot))
        refreshClock()
    }

    /// A loop not owned by a group, to be run on the calling thread with `run()` (tests, tools).
    public convenience init() throws(SystemError) {
        try self.init(index: 0, epoll: Epoll(), inbox: EventLoopInbox())
    }

    /// Traps in debug builds when called off the loop's thread (or before `run()` from another one).
    @inline(__always)
    public func assertOnLoop(file: StaticString = #fileID, line: UInt = #line) {
        #if DEBUG
        if let threadID { precondition(threadID == .current, "EventLoop \(index) used off its thread", file: file, line: line) }
        #endif
    }

    /// Whether the caller is on this loop's thread.
    public var isOnLoop: Bool { threadID == .current }

    // MARK: Descriptors

    /// Starts delivering `events` on `descriptor` to `handler`. The loop keeps a strong reference
    /// to the handler until `deregister`. The descriptor must stay open until then.
    public func register(_ descriptor: Int32, events: IOEvents, handler: any EventLoopHandler) throws(SystemError) -> EventLoopRegistration {
        assertOnLoop()
        let slot: Int32
        if freeSlot >= 0 {
            slot = freeSlot
            freeSlot = slots[Int(slot)].nextFree
        } else {
            slot = Int32(slots.count)
            slots.append(Slot())
        }
        slots[Int(slot)].handler = handler
        slots[Int(slot)].descriptor = descriptor
        let registration = EventLoopRegistration(slot: UInt32(slot), generation: slots[Int(slot)].generation)
        do {
            try epoll.add(descriptor, events: events.rawValue, data: registration.packed)
        } catch {
            release(slot)
            throw error
        }
        return registration
    }

    /// Changes the events of a registration (e.g. remove `.readable` from a full listener).
    public func modify(_ registration: EventLoopRegistration, events: IOEvents) throws(SystemError) {
        assertOnLoop()
        guard let descriptor = descriptor(of: registration) else { return }
        try epoll.modify(descriptor, events: events.rawValue, data: registration.packed)
    }

    /// Stops delivering events for the registration and drops the handler. Call before closing
    /// the descriptor. A stale or `.none` registration is ignored.
    ///
    /// `descriptorClosing: true` skips the `epoll_ctl(DEL)` system call: the caller closes the
    /// descriptor right away and holds no duplicate of it, and closing the last reference removes
    /// it from the epoll set anyway (events already returned for it are dropped by the generation check).
    public func deregister(_ registration: EventLoopRegistration, descriptorClosing: Bool = false) {
        assertOnLoop()
        guard let descriptor = descriptor(of: registration) else { return }
        if !descriptorClosing {
            // Fails only if the descriptor was already closed, which the kernel then removed anyway.
            _ = try? epoll.delete(descriptor)
        }
        release(Int32(registration.slot))
    }

    private func descriptor(of registration: EventLoopRegistration) -> Int32? {
        let slot = Int(registration.slot)
        guard registration.slot != Self.inboxSlot, slot < slots.count,
              slots[slot].generation == registration.generation, slots[slot].handler != nil else { return nil }
        return slots[slot].descriptor
    }

    private func release(_ slot: Int32) {
        slots[Int(slot)].handler = nil
        slots[Int(slot)].descriptor = -1
        slots[Int(slot)].generation &+= 1
        slots[Int(slot)].nextFree = freeSlot
        freeSlot = slot
    }

    // MARK: Timers

    /// Arms a one-shot timer firing `handler.timerFired(tag:)` at least `nanoseconds` from `now`.
    /// O(1), allocation-free in the steady state. Resolution: `TimingWheel.tickNanoseconds` (8 ms).
    public func armTimer(after nanoseconds: UInt64, handler: any EventLoopTimerHandler, tag: Int = 0) -> TimerToken {
        assertOnLoop()
        return timers.arm(deadline: now &+ nanoseconds, handler: handler, tag: tag)
    }

    /// Arms a timer for an absolute monotonic `deadline` (nanoseconds, same clock as `now`).
    public func armTimer(at deadline: UInt64, handler: any EventLoopTimerHandler, tag: Int = 0) -> TimerToken {
        assertOnLoop()
        return timers.arm(deadline: deadline, handler: handler, tag: tag)
    }

    /// Cancels a timer; cancelling one that fired or was cancelled does nothing. O(1).
    @discardableResult
    public func cancelTimer(_ token: TimerToken) -> Bool {
        assertOnLoop()
        return timers.cancel(token)
    }

    public func isTimerArmed(_ token: TimerToken) -> Bool {
        timers.isArmed(token)
    }

    /// Runs `body` on this loop after at least `nanoseconds` (allocates; for rare events, not per request).
    @discardableResult
    public func schedule(after nanoseconds: UInt64, _ body: @escaping () -> Void) -> TimerToken {
        armTimer(after: nanoseconds, handler: ClosureTimer(body))
    }

    // MARK: Running

    /// Runs the loop on the calling thread until `stop()` (or `inbox.stop()`).
    public func run() {
        threadID = .current
        running = true
        while running {
            let timeout = timers.timeoutMilliseconds(now: now)
            let count: Int
            do {
                count = try epoll.wait(timeoutMilliseconds: timeout)
            } catch {
                preconditionFailure("epoll_wait: \(error)")
            }
            refreshClock()
            for index in 0..<count {
                let (events, data) = epoll.event(at: index)
                let slot = Int(truncatingIfNeeded: data & 0xffff_ffff)
                let generation = UInt32(truncatingIfNeeded: data >> 32)
                if slot == Int(Self.inboxSlot) {
                    runInbox()
                    continue
                }
                guard slot < slots.count, slots[slot].generation == generation, let handler = slots[slot].handler else {
                    continue // a registration removed earlier in this batch
                }
                handler.handleEvents(IOEvents(rawValue: events))
            }
            timers.expire(now: now)
            if inbox.stopRequested.load(ordering: .acquiring) { running = false }
        }
        runInbox()
    }

    /// Makes `run()` return after the current iteration (loop thread only; use `inbox.stop()` elsewhere).
    public func stop() {
        assertOnLoop()
        running = false
    }

    private func runInbox() {
        inbox.wakeup.drain()
        for task in inbox.takeTasks() { task(self) }
    }

    /// Refreshes `now`, and `httpDate` when the wall-clock second changed.
    private func refreshClock() {
        now = MonotonicClock.nanoseconds()
        let second = MonotonicClock.wallSeconds()
        if second != httpDateSecond {
            httpDateSecond = second
            HTTPDate.format(second, into: &httpDate)
        }
    }
}

/// A timer handler running a closure (for `EventLoop.schedule`).
private final class ClosureTimer: EventLoopTimerHandler {
    let body: () -> Void
    init(_ body: @escaping () -> Void) { self.body = body }
    func timerFired(tag: Int) { body() }
}
