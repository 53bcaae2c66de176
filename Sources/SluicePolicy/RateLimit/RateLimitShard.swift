import Synchronization

/// One shard of the table: `sets × ways` slots. A key can only live in the `ways` slots of its
/// set (set-associative), so lookup and eviction are bounded scans inside one short critical
/// section; the limit state is then updated outside the lock by compare-and-swap.
///
/// Per slot the shard keeps, under its mutex, a 4-byte tag (30 bits of the key to skip
/// mismatches without touching the slot, an occupied bit, a recently-used bit for NRU/clock
/// eviction) and the slot's window length (to tell whether it is idle): 8 bytes. The 8 tags of
/// a set share 32 bytes, one cache line.
final class RateLimitShard: Sendable {
    struct Index {
        var tags: [UInt32]
        var windowSeconds: [UInt32]
    }

    static let ways = 8
    static let occupiedBit: UInt32 = 2
    static let usedBit: UInt32 = 1

    /// Global index of this shard's first slot in the slot buffer.
    let base: Int
    let sets: Int
    let index: Mutex<Index>

    init(base: Int, sets: Int) {
        self.base = base
        self.sets = sets
        let count = sets * RateLimitShard.ways
        index = Mutex(Index(tags: [UInt32](repeating: 0, count: count),
                            windowSeconds: [UInt32](repeating: 0, count: count)))
    }

    /// Bytes allocated for the tags and window lengths.
    var allocatedBytes: Int {
        index.withLock { ($0.tags.capacity + $0.windowSeconds.capacity) * MemoryLayout<UInt32>.stride }
    }

    /// Number of slots holding a key.
    var occupied: Int {
        index.withLock { index in
            index.tags.reduce(0) { $0 + ($1 & RateLimitShard.occupiedBit == 0 ? 0 : 1) }
        }
    }

    /// The slot of `key` and its current state, taking a slot for it if absent: an empty slot,
    /// else an idle one (its state equals an absent key's, so no decision changes), else a busy
    /// one of the shortest window in the set not used since it was last swept (see `victim`;
    /// under pressure a busy key is forgotten: it regains at most one burst or window quota). A taken slot gets a
    /// new generation so that any thread still holding the old owner's state fails its
    /// compare-and-swap and looks the key up again.
    @inline(__always)
    func resolve(_ key: RateLimitKey, windowSeconds: UInt32, set: Int, now: UInt64,
                 slots: RateLimitSlotBuffer) -> (slot: Int, state: WordPair) {
        let base = self.base
        let tag = RateLimitShard.tag(of: key)
        return index.withLock { index in
            let start = set &* RateLimitShard.ways
            for way in start..<(start + RateLimitShard.ways)
            where index.tags[way] & ~RateLimitShard.usedBit == tag && slots.holds(base + way, key) {
                if index.tags[way] & RateLimitShard.usedBit == 0 {  // don't dirty the line needlessly
                    index.tags[way] |= RateLimitShard.usedBit
                }
                return (base + way, slots.load(base + way))
            }
            let victim = RateLimitShard.victim(in: &index, start: start, now: now, base: base, slots: slots)
            let slot = base + victim
            var state = slots.load(slot)
            while true {
                let fresh = WordPair(first: 0, second: UInt(((state.second >> 32) &+ 1) << 32))
                if slots.compareExchange(slot, expected: state, desired: fresh) {
                    state = fresh
                    break
                }
                state = slots.load(slot)
            }
            slots.assign(slot, to: key)
            index.tags[victim] = tag | RateLimitShard.usedBit
            index.windowSeconds[victim] = windowSeconds
            return (slot, state)
        }
    }

    /// 30 bits of the key (bits independent of the shard and set choice) plus the occupied bit.
    @inline(__always)
    static func tag(of key: RateLimitKey) -> UInt32 {
        UInt32(truncatingIfNeeded: key.high) & ~(occupiedBit | usedBit) | occupiedBit
    }

    /// The way to give away: first empty, else first idle, else, among the busy slots with the
    /// shortest window, the first not recently used (a clock over just those: their used bits are
    /// swept when all are set). A busy slot forgotten regains at most one burst or window quota,
    /// so the cheapest to lose goes first: token buckets (a burst) before minute windows, a day's
    /// quota last; churn of one-shot keys (say, anonymous clients) then replaces other short-lived
    /// slots and cannot reset a consumer's daily count while a shorter-window slot is in the set.
    private static func victim(in index: inout Index, start: Int, now: UInt64, base: Int,
                               slots: RateLimitSlotBuffer) -> Int {
        var shortest = UInt32.max
        for way in start..<(start + ways) {
            if index.tags[way] & occupiedBit == 0 { return way }
            let state = slots.load(base + way)
            if isIdle(first: UInt64(state.first), second: UInt64(state.second),
                      windowSeconds: index.windowSeconds[way], now: now) {
                return way
            }
            shortest = min(shortest, index.windowSeconds[way])
        }
        var first = -1
        for way in start..<(start + ways) where index.windowSeconds[way] == shortest {
            if index.tags[way] & usedBit == 0 { return way }
            if first < 0 { first = way }
        }
        for way in start..<(start + ways) where index.windowSeconds[way] == shortest { index.tags[way] &= ~usedBit }
        return first
    }

    private static func isIdle(first: UInt64, second: UInt64, windowSeconds: UInt32, now: UInt64) -> Bool {
        if windowSeconds == 0 { return first <= now }
        let milliseconds = UInt64(windowSeconds) * 1000
        let index = UInt32(truncatingIfNeeded: now / 1_000_000 / milliseconds)
        let stored = UInt32(truncatingIfNeeded: second)
        if stored == index || Int32(bitPattern: index &- stored) < 0 { return first == 0 }  // current or ahead
        if stored &+ 1 == index { return first & 0xFFFF_FFFF == 0 }
        return true
    }
}
