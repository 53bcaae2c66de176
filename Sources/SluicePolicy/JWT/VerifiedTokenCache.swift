/// A bounded LRU of verified tokens keyed by the SHA-256 of the token bytes (`TokenDigest`).
///
/// An entry is served only while `validFrom <= now < validUntil`: `validUntil` is the token's
/// `exp` itself (leeway is for validation only, so a token past `exp` is verified again and
/// the leeway decided there), `validFrom` is `nbf - leeway`. An entry found at or past its
/// `exp` is dropped. Capacity 0 disables caching.
///
/// Owned by one `JWTVerifier` (one thread), no locks. Storage is allocated once at capacity:
/// slots in one array linked by indices, a dictionary reserved to capacity. A hit is one hash
/// lookup and a relink, O(1), no allocation.
struct VerifiedTokenCache {
    private struct Slot {
        var digest: TokenDigest
        var token: VerifiedToken?
        var validFrom: Double
        var validUntil: Double
        var previous: Int32
        var next: Int32
    }

    let capacity: Int
    private var index: [TokenDigest: Int32]
    private var slots: [Slot] = []
    private var freeSlots: [Int32] = []
    /// Most recently used first.
    private var head: Int32 = -1
    private var tail: Int32 = -1

    init(capacity: Int) {
        self.capacity = max(0, capacity)
        index = Dictionary(minimumCapacity: self.capacity)
        slots.reserveCapacity(self.capacity)
        freeSlots.reserveCapacity(self.capacity)
    }

    var count: Int { index.count }

    mutating func lookup(_ digest: TokenDigest, now: Double) -> VerifiedToken? {
        guard let position = index[digest] else { return nil }
        let slot = Int(position)
        if now >= slots[slot].validUntil {
            remove(position)
            return nil
        }
        guard now >= slots[slot].validFrom else { return nil }
        if position != head {
            unlink(position)
            pushFront(position)
        }
        return slots[slot].token
    }

    mutating func insert(_ digest: TokenDigest, token: VerifiedToken, validFrom: Double, validUntil: Double) {
        guard capacity > 0 else { return }
        if let existing = index[digest] { remove(existing) }
        let position: Int32
        if let free = freeSlots.popLast() {
            position = free
        } else if slots.count < capacity {
            position = Int32(slots.count)
            slots.append(Slot(digest: digest, token: nil, validFrom: 0, validUntil: 0, previous: -1, next: -1))
        } else {
            position = tail
            index[slots[Int(position)].digest] = nil
            unlink(position)
        }
        slots[Int(position)] = Slot(digest: digest, token: token, validFrom: validFrom, validUntil: validUntil,
                                    previous: -1, next: -1)
        index[digest] = position
        pushFront(position)
    }

    /// Forgets every entry (a new key set: tokens of a removed key must stop passing).
    mutating func removeAll() {
        index.removeAll(keepingCapacity: true)
        slots.removeAll(keepingCapacity: true)
        freeSlots.removeAll(keepingCapacity: true)
        head = -1
        tail = -1
    }

    private mutating func remove(_ position: Int32) {
        index[slots[Int(position)].digest] = nil
        unlink(position)
        slots[Int(position)].token = nil
        freeSlots.append(position)
    }

    private mutating func unlink(_ position: Int32) {
        let previous = slots[Int(position)].previous
        let next = slots[Int(position)].next
        if previous >= 0 { slots[Int(previous)].next = next } else { head = next }
        if next >= 0 { slots[Int(next)].previous = previous } else { tail = previous }
        slots[Int(position)].previous = -1
        slots[Int(position)].next = -1
    }

    private mutating func pushFront(_ position: Int32) {
        slots[Int(position)].previous = -1
        slots[Int(position)].next = head
        if head >= 0 { slots[Int(head)].previous = position }
        head = position
        if tail < 0 { tail = position }
    }
}
