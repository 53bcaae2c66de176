/// A hashed timing wheel: `bucketCount` buckets of `tickNanoseconds` each; a timer further away
/// than one revolution waits in its bucket until its round comes.
///
/// Complexity: arm, cancel and re-arm are O(1) and allocation-free once the entry table has grown
/// to the peak number of simultaneous timers (entries are slot-indexed and reused through a free
/// list; buckets are intrusive doubly-linked lists threaded through the entries). Expiry visits each
/// elapsed bucket once. A timer never fires early: its deadline is rounded up to a tick boundary.
/// Timers fire in deadline-tick order; timers due in the same tick fire in the order they were armed.
/// Thread affinity: owned by one event loop. A class, not a struct, because timer handlers re-enter
/// it (arm/cancel) while `expire` runs.
final class TimingWheel {
    static let tickNanoseconds: UInt64 = 8_000_000
    static let bucketCount = 512
    private static let bucketMask = UInt64(bucketCount - 1)

    private struct Entry {
        var deadlineTick: UInt64 = 0
        var next: Int32 = -1
        var previous: Int32 = -1
        /// Bucket index while armed, `Entry.free` when free, `Entry.due` while waiting to fire.
        var bucket: Int32 = Entry.free
        var generation: UInt32 = 0
        var tag: Int = 0
        var handler: (any EventLoopTimerHandler)? = nil

        static let free: Int32 = -1
        static let due: Int32 = -2
    }

    private var entries: [Entry] = []
    private var freeHead: Int32 = -1
    private var heads = [Int32](repeating: -1, count: bucketCount)
    private var tails = [Int32](repeating: -1, count: bucketCount)
    /// One bit per non-empty bucket, so the next deadline is found without walking empty buckets.
    private var occupied = [UInt64](repeating: 0, count: bucketCount / 64)
    /// The last tick whose bucket has been expired.
    private(set) var currentTick: UInt64
    /// Armed (not yet fired or cancelled) timers.
    private(set) var armedCount = 0
    /// Due entries collected from a bucket, fired after they are all unlinked (reused, no allocation).
    private var dueScratch: [(index: Int32, generation: UInt32)] = []

    init(now: UInt64) {
        currentTick = now / Self.tickNanoseconds
    }

    /// Arms a timer that fires at or after `deadline` (monotonic nanoseconds).
    func arm(deadline: UInt64, handler: any EventLoopTimerHandler, tag: Int) -> TimerToken {
        var tick = (deadline + Self.tickNanoseconds - 1) / Self.tickNanoseconds
        if tick <= currentTick { tick = currentTick + 1 }
        let index: Int32
        if freeHead >= 0 {
            index = freeHead
            freeHead = entries[Int(index)].next
        } else {
            index = Int32(entries.count)
            entries.append(Entry())
        }
        let bucket = Int32(tick & Self.bucketMask)
        let position = Int(index)
        entries[position].deadlineTick = tick
        entries[position].bucket = bucket
        entries[position].tag = tag
        entries[position].handler = handler
        entries[position].next = -1
        entries[position].previous = tails[Int(bucket)]
        if tails[Int(bucket)] >= 0 {
            entries[Int(tails[Int(bucket)])].next = index
        } else {
            heads[Int(bucket)] = index
            occupied[Int(bucket) >> 6] |= 1 << UInt64(bucket & 63)
        }
        tails[Int(bucket)] = index
        armedCount += 1
        return TimerToken(index: index, generation: entries[position].generation)
    }

    /// Cancels a timer; a token for a timer that already fired or was cancelled is ignored.
    /// Returns whether a timer was cancelled.
    @discardableResult
    func cancel(_ token: TimerToken) -> Bool {
        guard token.index >= 0, Int(token.index) < entries.count else { return false }
        let position = Int(token.index)
        guard entries[position].generation == token.generation, entries[position].bucket != Entry.free else { return false }
        if entries[position].bucket >= 0 { unlink(token.index) }
        release(token.index)
        return true
    }

    /// Whether `token` names a timer that is still armed.
    func isArmed(_ token: TimerToken) -> Bool {
        guard token.index >= 0, Int(token.index) < entries.count else { return false }
        let entry = entries[Int(token.index)]
        return entry.generation == token.generation && entry.bucket != Entry.free
    }

    /// Milliseconds until the next occupied bucket's tick (for epoll_wait), or -1 when no timer is armed.
    func timeoutMilliseconds(now: UInt64) -> Int32 {
        guard armedCount > 0 else { return -1 }
        let start = Int((currentTick + 1) & Self.bucketMask)
        var distance = Self.bucketCount
        for step in 0..<(occupied.count + 1) {
            let word = (start >> 6 + step) % occupied.count
            var bits = occupied[word]
            if step == 0 { bits &= ~0 << UInt64(start & 63) }
            if bits != 0 {
                let bucket = word << 6 + bits.trailingZeroBitCount
                distance = (bucket - start + Self.bucketCount) % Self.bucketCount + 1
                break
            }
        }
        let deadline = (currentTick + UInt64(distance)) * Self.tickNanoseconds
        guard deadline > now else { return 0 }
        return Int32(min((deadline - now + 999_999) / 1_000_000, 60_000))
    }

    /// Fires every timer due at `now`, in order. Handlers may arm and cancel timers while this runs.
    func expire(now: UInt64) {
        let nowTick = now / Self.tickNanoseconds
        guard nowTick > currentTick else { return }
        // Visit each elapsed bucket once (at most one revolution), in tick order.
        let last = min(nowTick, currentTick + UInt64(Self.bucketCount))
        var tick = currentTick + 1
        while tick <= last {
            currentTick = tick
            if armedCount > 0 { expireBucket(Int(tick & Self.bucketMask), nowTick: nowTick) }
            tick += 1
        }
        currentTick = nowTick
    }

    private func expireBucket(_ bucket: Int, nowTick: UInt64) {
        var cursor = heads[bucket]
        dueScratch.removeAll(keepingCapacity: true)
        while cursor >= 0 {
            let next = entries[Int(cursor)].next
            if entries[Int(cursor)].deadlineTick <= nowTick {
                unlink(cursor)
                entries[Int(cursor)].bucket = Entry.due
                dueScratch.append((cursor, entries[Int(cursor)].generation))
            }
            cursor = next
        }
        guard !dueScratch.isEmpty else { return }
        let due = dueScratch
        for (index, generation) in due {
            let position = Int(index)
            // A handler fired earlier in this batch may have cancelled this one.
            guard entries[position].generation == generation, entries[position].bucket == Entry.due,
                  let handler = entries[position].handler else { continue }
            let tag = entries[position].tag
            release(index)
            handler.timerFired(tag: tag)
        }
    }

    private func unlink(_ index: Int32) {
        let position = Int(index)
        let bucket = Int(entries[position].bucket)
        let previous = entries[position].previous
        let next = entries[position].next
        if previous >= 0 { entries[Int(previous)].next = next } else { heads[bucket] = next }
        if next >= 0 { entries[Int(next)].previous = previous } else { tails[bucket] = previous }
        if heads[bucket] < 0 { occupied[bucket >> 6] &= ~(1 << UInt64(bucket & 63)) }
    }

    private func release(_ index: Int32) {
        let position = Int(index)
        entries[position].bucket = Entry.free
        entries[position].handler = nil
        entries[position].generation &+= 1
        entries[position].next = freeHead
        entries[position].previous = -1
        freeHead = index
        armedCount -= 1
    }
}
