import SluiceHTTP

/// The clock rate-limit decisions use: the event loop's cached monotonic time plus the
/// realtime − monotonic offset captured once per process, so minute and day windows start on
/// UTC minute and midnight boundaries while a later wall-clock step can never move it backwards.
enum RateLimitClock {
    static let offset: UInt64 = {
        let wall = UInt64(max(0, MonotonicClock.wallSeconds())) &* 1_000_000_000
        let monotonic = MonotonicClock.nanoseconds()
        return wall &- monotonic
    }()

    /// Rate-limit time for a loop's `now` (monotonic nanoseconds).
    @inline(__always)
    static func now(loopNanoseconds: UInt64) -> UInt64 {
        loopNanoseconds &+ offset
    }
}
