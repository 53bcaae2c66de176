import Synchronization

/// One shard of the key index: `sets × ways` slots, each remembering which slot key owns it.
/// A key can only live in the `ways` slots of its set (set-associative), so lookup and eviction
/// are bounded scans inside one short critical section; the limit state itself lives in the
/// table's `RateLimitStateBuffer` and is updated outside the lock by compare-and-swap.
final class RateLimitShard: Sendable {
    /// The owner of one slot. 24 bytes; `low == 0` marks an empty slot (keys have bit 0 set).
    struct Entry {
        var high: UInt64 = 0
        var low: UInt64 = 0
        /// `now >> 24` (~16.8 ms units) at the last lookup, for least-recently-used eviction.
        var lastUsed: UInt32 = 0
        /// The rule's window in seconds (0: token bucket), to tell whether the slot is idle.
        var windowSeconds: UInt32 = 0
    }

    static let ways = 8

    /// Global index of this shard's first slot in the state buffer.
    let base: Int
    let sets: Int
    let entries: Mutex<[Entry]>

    init(base: Int, sets: Int) {
        self.base = base
        self.sets = sets
        entries = Mutex([Entry](repeating: Entry(), count: sets * RateLimitShard.ways))
    }

    /// Bytes allocated for the entries.
    var allocatedBytes: Int {
        entries.withLock { $0.capacity * MemoryLayout<Entry>.stride }
    }

    /// Number of slots holding a key.
    var occupied: Int {
        entries.withLock { entries in entries.reduce(0) { $0 + ($1.low == 0 ? 0 : 1) } }
    }

    /// The slot of `key` and its current state, taking a slot for it if absent: an empty slot,
    /// else an idle one (its state equals an absent key's, so no decision changes), else the
    /// least recently used (under pressure a busy key is forgotten: at most one burst is
    /// re-granted per eviction). A taken slot gets a new generation so that any thread still
    /// holding the old owner's state fails its compare-and-swap and looks the key up again.
    @inline(__always)
    func resolve(_ key: RateLimitKey, windowSeconds: UInt32, set: Int, now: UInt64,
                 states: RateLimitStateBuffer) -> (slot: Int, state: WordPair) {
        let base = self.base
        let stamp = UInt32(truncatingIfNeeded: now >> 24)
        return entries.withLock { entries in
            let start = set &* RateLimitShard.ways
            for way in start..<(start + RateLimitShard.ways)
            where entries[way].low == key.low && entries[way].high == key.high {
                entries[way].lastUsed = stamp
                return (base + way, states.load(base + way))
            }
            let victim = RateLimitShard.victim(in: entries, start: start, now: now, stamp: stamp,
                                               base: base, states: states)
            let slot = base + victim
            var state = states.load(slot)
            while true {
                let fresh = WordPair(first: 0, second: UInt(((state.second >> 32) &+ 1) << 32))
                if states.compareExchange(slot, expected: state, desired: fresh) {
                    state = fresh
                    break
                }
                state = states.load(slot)
            }
            entries[victim] = Entry(high: key.high, low: key.low, lastUsed: stamp, windowSeconds: windowSeconds)
            return (slot, state)
        }
    }

    /// The way to give away: first empty, else first idle, else least recently used.
    private static func victim(in entries: [Entry], start: Int, now: UInt64, stamp: UInt32,
                               base: Int, states: RateLimitStateBuffer) -> Int {
        var oldest = start
        var oldestAge: UInt32 = 0
        for way in start..<(start + ways) {
            let entry = entries[way]
            if entry.low == 0 { return way }
            let state = states.load(base + way)
            if isIdle(first: UInt64(state.first), second: UInt64(state.second),
                      windowSeconds: entry.windowSeconds, now: now) {
                return way
            }
            let age = stamp &- entry.lastUsed
            if age >= oldestAge {
                oldestAge = age
                oldest = way
            }
        }
        return oldest
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
