/// Receives readiness events for one registered descriptor. Called on the loop's thread only.
public protocol EventLoopHandler: AnyObject {
    /// `events` holds every condition ready at the time of the wakeup (with edge-triggered
    /// registrations, e.g. `[.readable, .writable]` after one edge).
    func handleEvents(_ events: IOEvents)
}

/// Receives the expiry of a timer armed with `EventLoop.armTimer`. Called on the loop's thread only.
public protocol EventLoopTimerHandler: AnyObject {
    /// `tag` is the value passed when arming, so one handler can own several timers.
    func timerFired(tag: Int)
}

/// Readiness conditions, with the raw values of the epoll flags (no translation on the hot path).
public struct IOEvents: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let readable = IOEvents(rawValue: Epoll.readable)
    public static let writable = IOEvents(rawValue: Epoll.writable)
    /// The peer shut down its write side (EPOLLRDHUP).
    public static let readHangup = IOEvents(rawValue: Epoll.readHangup)
    /// Both directions are closed (always reported, never needs registering).
    public static let hangup = IOEvents(rawValue: Epoll.hangup)
    /// A pending socket error (always reported, never needs registering).
    public static let error = IOEvents(rawValue: Epoll.error)
    /// Registration flag: report edges, not levels (EPOLLET).
    public static let edgeTriggered = IOEvents(rawValue: Epoll.edgeTriggered)
    /// Registration flag: wake only one of several loops waiting on a shared descriptor (EPOLLEXCLUSIVE).
    public static let exclusive = IOEvents(rawValue: Epoll.exclusive)
}

/// Identifies one registration on one loop. A stale token (after `deregister`, or for an fd
/// number that was closed and reused) never matches a newer registration: the loop checks the
/// generation stored in the slot.
public struct EventLoopRegistration: Sendable, Equatable {
    let slot: UInt32
    let generation: UInt32

    /// A token that matches no registration.
    public static let none = EventLoopRegistration(slot: .max, generation: 0)

    var packed: UInt64 { UInt64(generation) << 32 | UInt64(slot) }
}

/// Identifies one armed timer on one loop; cancelling a fired or cancelled timer does nothing.
public struct TimerToken: Sendable, Equatable {
    let index: Int32
    let generation: UInt32

    /// A token that matches no timer.
    public static let none = TimerToken(index: -1, generation: 0)
}
