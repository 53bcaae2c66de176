/// A bounded LRU of verified tokens, owned by one `JWTVerifier` (one thread, no locks).
///
/// Lookup: a 64-bit fingerprint (the process-seeded `Hasher` over the token's length and its
/// last 32 bytes — the signature's tail, random for signed tokens) finds at most one entry, and
/// the entry is used only when its stored token equals the presented one byte for byte
/// (`ConstantTimeBytes`, so timing tells nothing about a cached token). So no token, however
/// chosen, can be served another token's entry; a fingerprint collision between two cached
/// tokens only costs a miss. Only verified tokens are ever inserted, so an attacker cannot
/// fill the table with colliding keys either.
///
/// Validity: an entry is served only while `validFrom <= now < validUntil`: `validUntil` is the
/// token's `exp` itself (leeway is for validation only, so a token past `exp` is verified again
/// and the leeway decided there), `validFrom` is `nbf - leeway`. An entry found at or past its
/// `exp` is dropped.
///
/// Bounds: at most `capacity` entries and `maximumBytes` of stored tokens (LRU eviction until
/// both hold). Capacity 0 disables caching. A hit is one hash lookup, one comparison and a list
/// relink: O(token length), no allocation.
struct VerifiedTokenCache {
    private struct Slot {
        var fingerprint: UInt64
        var bytes: [UInt8]
        var token: VerifiedToken?
        var validFrom: Double
        var validUntil: Double
        var previous: Int32
        var next: Int32
    }

    let capacity: Int
    let maximumBytes: Int
    private(set) var storedBytes = 0
    private var index: [UInt64: Int32]
    private var slots: [Slot] = []
    private var freeSlots: [Int32] = []
    /// Most recently used first.
    private var head: Int32 = -1
    private var tail: Int32 = -1

    init(capacity: Int, maximumBytes: Int) {
        self.capacity = max(0, capacity)
        self.maximumBytes = max(0, maximumBytes)
        index = Dictionary(minimumCapacity: self.capacity)
        slots.reserveCapacity(self.capacity)
        freeSlots.reserveCapacity(self.capacity)
    }

    var count: Int { index.count }

    static func fingerprint(of token: UnsafeRawBufferPointer) -> UInt64 {
        var hasher = Hasher()
        hasher.combine(token.count)
        hasher.combine(bytes: UnsafeRawBufferPointer(rebasing: token[max(0, token.count - 32)...]))
        return UInt64(truncatingIfNeeded: hasher.finalize())
    }

    mutating func lookup(_ token: UnsafeRawBufferPointer, fingerprint: UInt64, now: Double) -> VerifiedToken? {
        guard let position = index[fingerprint] else { return nil }
        let slot = Int(position)
        guard slots[slot].bytes.withUnsafeBytes({ ConstantTimeBytes.equal($0, token) }) else { return nil }
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

    mutating func insert(_ token: UnsafeRawBufferPointer, fingerprint: UInt64, verified: VerifiedToken,
                         validFrom: Double, validUntil: Double) {
        guard capacity > 0, token.count <= maximumBytes else { return }
        if let existing = index[fingerprint] { remove(existing) }
        while tail >= 0, index.count >= capacity || storedBytes + token.count > maximumBytes {
            remove(tail)
        }
        let position: Int32
        if let free = freeSlots.popLast() {
            position = free
        } else {
            position = Int32(slots.count)
            slots.append(Slot(fingerprint: 0, bytes: [], token: nil, validFrom: 0, validUntil: 0, previous: -1, next: -1))
        }
        let slot = Int(position)
        slots[slot].fingerprint = fingerprint
        // A fresh array of exactly this size (the miss path may allocate): reusing a slot's
        // storage would keep an earlier, larger token's capacity outside the byte budget.
        slots[slot].bytes = Array(token)
        slots[slot].token = verified
        slots[slot].validFrom = validFrom
        slots[slot].validUntil = validUntil
        storedBytes += token.count
        index[fingerprint] = position
        pushFront(position)
    }

    /// Forgets every entry (a new key set: tokens of a removed key must stop passing).
    mutating func removeAll() {
        index.removeAll(keepingCapacity: true)
        slots.removeAll(keepingCapacity: true)
        freeSlots.removeAll(keepingCapacity: true)
        storedBytes = 0
        head = -1
        tail = -1
    }

    private mutating func remove(_ position: Int32) {
        let slot = Int(position)
        index[slots[slot].fingerprint] = nil
        unlink(position)
        storedBytes -= slots[slot].bytes.count
        slots[slot].bytes = []
        slots[slot].token = nil
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
