/// The limit arithmetic on one slot's state words. Pure functions: the table loads the words
/// atomically, calls these, and publishes the result with one compare-and-swap.
///
/// Word layout (`first`, `second` of one 128-bit atomic):
/// - token bucket: `first` = TAT in nanoseconds on the caller's clock (0 = full bucket);
/// - sliding window: `first` = previous count << 32 | current count, low 32 bits of `second` =
///   the current window's index (`now / window`, modulo 2³²);
/// - both: high 32 bits of `second` = the slot's generation, owned by the table (bumped when
///   the slot is given to another key), never changed here.
extension RateLimitRule {
    /// What one limit says about one request.
    @usableFromInline
    enum Verdict: Equatable {
        case allow
        /// Shape mode: allowed after this many nanoseconds.
        case delay(UInt64)
        /// Refused; this limit would allow after this many nanoseconds.
        case refuse(UInt64)
    }

    /// The verdict for one more request at `now`, and the state after consuming it (meaningful
    /// unless refused). `maxDelay` > 0 is shape mode for token buckets; windows never delay.
    @inlinable
    func evaluate(first: UInt64, second: UInt64, now: UInt64, maxDelay: UInt64)
        -> (verdict: Verdict, first: UInt64, second: UInt64)
    {
        switch kind {
        case .tokenBucket:
            let start = max(first, now)
            let (sum, overflow) = start.addingReportingOverflow(emissionInterval)
            let next = overflow ? UInt64.max : sum
            let ahead = next - now
            if ahead <= tolerance { return (.allow, next, second) }
            let excess = ahead - tolerance
            if excess <= maxDelay { return (.delay(excess), next, second) }
            return (.refuse(excess - maxDelay), first, second)
        case .slidingWindow:
            let window = windowPosition(now: now, first: first, second: second)
            let (previous, current) = counts(first: first, second: second, window: window.index)
            let limitScaled = UInt128(quota) * UInt128(windowMilliseconds)
            let used = weighted(previous: previous, current: current + 1, elapsed: window.elapsed)
            let nextSecond = (second & 0xFFFF_FFFF_0000_0000) | UInt64(window.index)
            if used <= limitScaled {
                return (.allow, previous << 32 | (current + 1), nextSecond)
            }
            return (.refuse(waitNanoseconds(previous: previous, current: current, elapsed: window.elapsed)),
                    first, second)
        }
    }

    /// The state with one consumed request given back (a refusal by another pair of the same
    /// decision). `consumed` is the state this request's commit wrote; anything committed by
    /// others since is kept.
    @inlinable
    func restore(first: UInt64, second: UInt64, consumedSecond: UInt64) -> (first: UInt64, second: UInt64) {
        switch kind {
        case .tokenBucket:
            return (first >= emissionInterval ? first - emissionInterval : 0, second)
        case .slidingWindow:
            let committedIndex = UInt32(truncatingIfNeeded: consumedSecond)
            let index = UInt32(truncatingIfNeeded: second)
            var previous = first >> 32
            var current = first & 0xFFFF_FFFF
            if index == committedIndex {
                if current > 0 { current -= 1 }
            } else if index == committedIndex &+ 1 {
                if previous > 0 { previous -= 1 }
            } else {
                return (first, second)
            }
            return (previous << 32 | current, second)
        }
    }

    /// The header's `r` and `t` at `now`, from one pass over the state: the requests this limit
    /// would still allow, and the seconds (rounded up) until its quota resets: for a token bucket
    /// until it is full again (0 when full); for a window until the current window ends, or, when
    /// nothing remains, until the next request would be allowed.
    @inlinable
    func status(first: UInt64, second: UInt64, now: UInt64) -> (remaining: UInt64, reset: UInt64) {
        switch kind {
        case .tokenBucket:
            let ahead = first > now ? first - now : 0
            return (ahead >= tolerance ? 0 : (tolerance - ahead) / emissionInterval, RateLimitRule.secondsRoundedUp(ahead))
        case .slidingWindow:
            let window = windowPosition(now: now, first: first, second: second)
            let (previous, current) = counts(first: first, second: second, window: window.index)
            let limitScaled = UInt128(quota) * UInt128(windowMilliseconds)
            let used = weighted(previous: previous, current: current, elapsed: window.elapsed)
            let remaining = used >= limitScaled ? 0 : RateLimitRule.quotient(limitScaled - used, windowMilliseconds)
            let reset = remaining == 0
                ? RateLimitRule.secondsRoundedUp(waitNanoseconds(previous: previous, current: current, elapsed: window.elapsed))
                : (windowMilliseconds - window.elapsed + 999) / 1000
            return (remaining, reset)
        }
    }

    /// `dividend / divisor` for quotients that fit 64 bits (all of ours: counts × window / count
    /// or / window), with one hardware division instead of the slow generic 128-bit one.
    @inlinable
    static func quotient(_ dividend: UInt128, _ divisor: UInt64) -> UInt64 {
        let high = UInt64(truncatingIfNeeded: dividend >> 64)
        let low = UInt64(truncatingIfNeeded: dividend)
        if high == 0 { return low / divisor }
        if high >= divisor { return UInt64.max }  // quotient would not fit: saturate
        return divisor.dividingFullWidth((high: high, low: low)).quotient
    }

    /// Whole seconds, rounded up.
    @inlinable
    static func secondsRoundedUp(_ nanoseconds: UInt64) -> UInt64 {
        nanoseconds / 1_000_000_000 + (nanoseconds % 1_000_000_000 == 0 ? 0 : 1)
    }

    // MARK: - Sliding-window arithmetic (milliseconds)

    /// The index of the window containing `now` and the milliseconds elapsed in it. Workers read
    /// the clock a moment before deciding, so a request may arrive with a `now` just before the
    /// window another thread already moved the state into: it is then counted at the start of
    /// the stored window (never as an empty window, which would forget that window's counts).
    @inlinable
    func windowPosition(now: UInt64, first: UInt64, second: UInt64) -> (index: UInt32, elapsed: UInt64) {
        let milliseconds = now / 1_000_000
        let whole = milliseconds / windowMilliseconds
        let index = UInt32(truncatingIfNeeded: whole)
        let stored = UInt32(truncatingIfNeeded: second)
        if first != 0 && Int32(bitPattern: index &- stored) < 0 { return (stored, 0) }
        return (index, milliseconds - whole * windowMilliseconds)
    }

    /// The (previous, current) counts as seen from window `index`.
    @inlinable
    func counts(first: UInt64, second: UInt64, window index: UInt32) -> (previous: UInt64, current: UInt64) {
        let stored = UInt32(truncatingIfNeeded: second)
        if stored == index { return (first >> 32, first & 0xFFFF_FFFF) }
        if stored &+ 1 == index { return (first & 0xFFFF_FFFF, 0) }
        return (0, 0)
    }

    /// `previous × (window − elapsed) + current × window`: the estimate scaled by the window.
    @inlinable
    func weighted(previous: UInt64, current: UInt64, elapsed: UInt64) -> UInt128 {
        UInt128(previous) * UInt128(windowMilliseconds - elapsed) + UInt128(current) * UInt128(windowMilliseconds)
    }

    /// Nanoseconds until one more request fits: later in this window if the previous window's
    /// weight is what refuses, else in the next window once this window's count has decayed.
    @inlinable
    func waitNanoseconds(previous: UInt64, current: UInt64, elapsed: UInt64) -> UInt64 {
        let window = UInt128(windowMilliseconds)
        if current + 1 <= quota, previous > 0 {
            // Need previous × (window − e) ≤ (quota − current − 1) × window.
            let allowedWeight = UInt128(RateLimitRule.quotient(UInt128(quota - current - 1) * window, previous))
            let earliest = allowedWeight >= window ? 0 : UInt64(window - allowedWeight)  // when it fits
            if earliest > elapsed { return (earliest - elapsed) * 1_000_000 }
            return 1_000_000
        }
        // Next window: previous' = current, current' = 0: current × (window − e') ≤ (quota − 1) × window.
        let allowedWeight = current == 0
            ? window : UInt128(RateLimitRule.quotient(UInt128(quota - 1) * window, current))
        let earliest = allowedWeight >= window ? 0 : UInt64(window - allowedWeight)
        return (windowMilliseconds - elapsed + earliest) * 1_000_000
    }
}
