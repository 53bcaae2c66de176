import Synchronization

/// The process-wide rate-limit state: one slot per (key, rule kind), shared by all worker
/// threads (`Sendable`).
///
/// - Sharded, no global lock: a key's slot is found in its shard's set under that shard's
///   mutex (a scan of 8 four-byte tags); the state is then updated by 128-bit compare-and-swap.
/// - Bounded: `capacity` slots, fixed at init (`maxKeys` rounded down to whole sets). A full
///   set gives a slot to a new key: idle slots first (their state equals an absent key's, so
///   no decision changes), else a not recently used one among the shortest-window slots (a
///   clock over them; a busy key forgotten regains at most one burst or window quota, and a
///   day's quota goes last).
/// - Memory: `bytesPerSlot` = 40 (32 B slot: 128-bit key + 128-bit atomic state; 8 B of tag and
///   window length in the shard), allocated once at init, plus ~200 B per shard.
/// - Correct under concurrency: a single limit never admits more than its parameters allow;
///   several limits in one decision either all consume or none does (see `decide`).
///
/// Per request (one `RateLimitBatch` per worker, keys from one process-wide `RateLimitKeyBuilder`,
/// rules compiled with the config):
/// ```swift
/// batch.removeAll()
/// batch.append(key: userKey, rule: tier.burst, policy: .burst)
/// batch.append(key: userKey, rule: tier.daily, policy: .daily)
/// batch.append(key: orgKey, rule: org.burst, policy: .orgBurst)
/// switch table.decide(&batch, now: clock.nanoseconds, maxDelayNanoseconds: route.maxDelay) {
/// case .allowed: forward
/// case .delayed(let wait): forward after `wait`
/// case .refused(let seconds): 429 with Retry-After `seconds`
/// }
/// RateLimitHeaderValue.appendRateLimit(of: batch, to: &headerBytes)  // allowed ones too
/// ```
public final class RateLimitTable: Sendable {
    public static let bytesPerSlot = MemoryLayout<RateLimitSlotBuffer.Slot>.stride
        + 2 * MemoryLayout<UInt32>.stride

    /// Slots (keys × rule kinds) this table holds at most.
    public let capacity: Int
    let shards: [RateLimitShard]
    let shardShift: UInt64
    let setsPerShard: Int
    let slots: RateLimitSlotBuffer

    /// A table of at most `maxKeys` slots (each key uses one slot per rule kind it is checked
    /// with: its token bucket, its minute window, its day window), spread over `shardCount`
    /// shards (rounded to a power of two; fewer if `maxKeys` is small).
    public init(maxKeys: Int, shardCount: Int = 64) {
        var shardCount = max(1, shardCount)
        while shardCount & (shardCount - 1) != 0 { shardCount &= shardCount - 1 }
        while shardCount > 1 && shardCount * RateLimitShard.ways > maxKeys { shardCount /= 2 }
        let sets = max(1, maxKeys / (shardCount * RateLimitShard.ways))
        setsPerShard = sets
        let perShard = sets * RateLimitShard.ways
        capacity = shardCount * perShard
        shardShift = UInt64(64 - shardCount.trailingZeroBitCount)
        slots = RateLimitSlotBuffer(count: capacity)
        shards = (0..<shardCount).map { RateLimitShard(base: $0 * perShard, sets: sets) }
    }

    /// Bytes allocated for slots, tags and window lengths, measured from the actual buffers.
    public var allocatedBytes: Int {
        shards.reduce(slots.allocatedBytes) { $0 + $1.allocatedBytes }
    }

    /// Slots currently holding a key (takes every shard's lock in turn: for tests and metrics).
    public var occupiedSlots: Int {
        shards.reduce(0) { $0 + $1.occupied }
    }

    /// Decides one request against every pair in `batch` and consumes their budgets only if
    /// all allow it.
    ///
    /// `now` is nanoseconds on one monotonic clock shared by all callers (injectable: tests pass
    /// any value). Windows are `[k·w, (k+1)·w)` on that clock, so to align minute and day windows
    /// with UTC, pass `CLOCK_MONOTONIC` plus the offset `realtime − monotonic` captured once at
    /// startup (a day window then starts at UTC midnight, and stepping the wall clock later
    /// cannot move `now` backwards).
    ///
    /// `maxDelayNanoseconds` > 0 is shape mode: a token bucket over its rate by at most that
    /// much admits the request after a wait (`.delayed`); windows always refuse.
    ///
    /// Atomicity: every pair is evaluated first; if any refuses, nothing is written. Otherwise
    /// each pair commits by compare-and-swap from the state it was evaluated on; if another
    /// thread changed it, that pair is re-evaluated, and if it now refuses, the pairs already
    /// committed are given back before returning `.refused`. A limit therefore never admits
    /// more than it allows, and a refusal by one limit never consumes another's budget (a
    /// concurrent request may briefly see a budget that is being given back: under-admission
    /// only, and only in that race).
    ///
    /// Cost: no allocation, no `String`; one shard lock per pair (a short scan), two 128-bit
    /// atomics per pair.
    public func decide(_ batch: inout RateLimitBatch, now: UInt64, maxDelayNanoseconds: UInt64 = 0) -> RateLimitDecision {
        batch.decidedAt = now
        let count = batch.pairs.count
        if count == 1 { return decideSingle(&batch.pairs[0], now: now, maxDelay: maxDelayNanoseconds) }
        var refusedWait: UInt64 = 0
        var refused = false
        for index in 0..<count {
            let (slot, state) = resolve(batch.pairs[index], now: now)
            batch.pairs[index].slot = slot
            evaluate(&batch.pairs[index], state: state, now: now, maxDelay: maxDelayNanoseconds)
            if case .refuse(let wait) = batch.pairs[index].verdict {
                refused = true
                refusedWait = max(refusedWait, wait)
            }
        }
        if refused {
            for index in 0..<count { batch.pairs[index].keepObserved() }
            return .refused(after: refusedWait)
        }
        var index = 0
        while index < count {
            let slot = batch.pairs[index].slot
            let observed = batch.pairs[index].observed
            if slots.compareExchange(slot, expected: observed, desired: batch.pairs[index].desired) {
                index += 1
                continue
            }
            var state = slots.load(slot)
            if state.second >> 32 != observed.second >> 32 {
                let resolved = resolve(batch.pairs[index], now: now)  // evicted meanwhile: the key is new again
                batch.pairs[index].slot = resolved.slot
                state = resolved.state
            }
            evaluate(&batch.pairs[index], state: state, now: now, maxDelay: maxDelayNanoseconds)
            if case .refuse(let wait) = batch.pairs[index].verdict {
                for committed in 0..<index { giveBack(batch.pairs[committed]) }
                for other in 0..<count { batch.pairs[other].keepObserved() }
                return .refused(after: wait)
            }
        }
        var delay: UInt64 = 0
        for index in 0..<count {
            batch.pairs[index].keepDesired()
            if case .delay(let wait) = batch.pairs[index].verdict { delay = max(delay, wait) }
        }
        return delay > 0 ? .delayed(nanoseconds: delay) : .allowed
    }

    /// `decide` for a batch of one pair: the same steps without the bookkeeping for several.
    @inline(__always)
    private func decideSingle(_ pair: inout RateLimitBatch.Pair, now: UInt64, maxDelay: UInt64) -> RateLimitDecision {
        var (slot, state) = resolve(pair, now: now)
        while true {
            evaluate(&pair, state: state, now: now, maxDelay: maxDelay)
            switch pair.verdict {
            case .refuse(let wait):
                pair.slot = slot
                pair.keepObserved()
                return .refused(after: wait)
            case .allow, .delay:
                if slots.compareExchange(slot, expected: pair.observed, desired: pair.desired) {
                    pair.slot = slot
                    pair.keepDesired()
                    if case .delay(let wait) = pair.verdict { return .delayed(nanoseconds: wait) }
                    return .allowed
                }
            }
            state = slots.load(slot)
            if state.second >> 32 != pair.observed.second >> 32 {
                (slot, state) = resolve(pair, now: now)  // evicted meanwhile: the key is new again
            }
        }
    }

    @inline(__always)
    private func resolve(_ pair: borrowing RateLimitBatch.Pair, now: UInt64) -> (slot: Int, state: WordPair) {
        let key = pair.key
        let shard = shards[Int(truncatingIfNeeded: key.high >> shardShift)]
        let set = Int(truncatingIfNeeded: key.low.multipliedFullWidth(by: UInt64(setsPerShard)).high)
        return shard.resolve(key, windowSeconds: pair.rule.windowSeconds, set: set, now: now, slots: slots)
    }

    @inline(__always)
    private func evaluate(_ pair: inout RateLimitBatch.Pair, state: WordPair, now: UInt64, maxDelay: UInt64) {
        let first = UInt64(state.first)
        let second = UInt64(state.second)
        let result = pair.rule.evaluate(first: first, second: second, now: now, maxDelay: maxDelay)
        pair.observedFirst = first
        pair.observedSecond = second
        pair.desiredFirst = result.first
        pair.desiredSecond = result.second
        pair.verdict = result.verdict
    }

    /// Undoes one committed pair of a decision that ended refused.
    private func giveBack(_ pair: borrowing RateLimitBatch.Pair) {
        while true {
            let state = slots.load(pair.slot)
            guard state.second >> 32 == pair.desired.second >> 32 else { return }  // slot evicted
            let restored = pair.rule.restore(first: UInt64(state.first), second: UInt64(state.second),
                                             consumedSecond: pair.desiredSecond)
            let desired = WordPair(first: UInt(restored.first), second: UInt(restored.second))
            if slots.compareExchange(pair.slot, expected: state, desired: desired) { return }
        }
    }
}

extension RateLimitBatch.Pair {
    var observed: WordPair { WordPair(first: UInt(observedFirst), second: UInt(observedSecond)) }
    var desired: WordPair { WordPair(first: UInt(desiredFirst), second: UInt(desiredSecond)) }

    mutating func keepObserved() {
        resultFirst = observedFirst
        resultSecond = observedSecond
    }

    mutating func keepDesired() {
        resultFirst = desiredFirst
        resultSecond = desiredSecond
    }
}
