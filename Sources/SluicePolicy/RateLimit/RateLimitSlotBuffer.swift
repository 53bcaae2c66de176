import Glibc
import Synchronization

/// A fixed array of table slots, 32 bytes each (two per cache line): the owning key's 128 bits
/// and the 128-bit atomic limit state, side by side so a lookup that found the key already has
/// the state in cache.
///
/// Buffer type (raw pointer inside): `Atomic` is non-copyable and cannot live in an `Array`.
/// Why it is safe: the memory comes zeroed from `calloc` once in `init` with a fixed `count`
/// (every field is an atomic of a trivial type, so all-zero bytes are the initialised empty
/// slot, and the kernel maps the pages only as keys first touch them: an idle table costs no
/// resident memory), and is freed only in `deinit` (no other owner exists), every access
/// checks its index against `count` (`precondition`), and every field is an atomic, so sharing
/// across threads (`@unchecked Sendable`) is race-free. The key words are written only under
/// the owning shard's lock; the state is updated by compare-and-swap from any thread.
final class RateLimitSlotBuffer: @unchecked Sendable {
    struct Slot: ~Copyable {
        let state: Atomic<WordPair>
        let high: Atomic<UInt64>
        let low: Atomic<UInt64>
    }

    let count: Int
    private let slots: UnsafeMutablePointer<Slot>

    init(count: Int) {
        self.count = count
        // calloc's alignment (16 on x86_64/aarch64 glibc) covers the 128-bit atomic's.
        guard let memory = calloc(max(1, count), MemoryLayout<Slot>.stride) else {
            fatalError("RateLimitSlotBuffer: cannot allocate \(count) slots")  // out of memory at start-up
        }
        slots = memory.bindMemory(to: Slot.self, capacity: max(1, count))
    }

    deinit {
        free(slots)
    }

    /// Bytes allocated for the slots.
    var allocatedBytes: Int { count * MemoryLayout<Slot>.stride }

    @inline(__always)
    func load(_ index: Int) -> WordPair {
        precondition(index >= 0 && index < count)
        return slots[index].state.load(ordering: .acquiring)
    }

    /// Replaces `expected` with `desired`; false (and nothing written) if the slot changed.
    @inline(__always)
    func compareExchange(_ index: Int, expected: WordPair, desired: WordPair) -> Bool {
        precondition(index >= 0 && index < count)
        return slots[index].state.compareExchange(expected: expected, desired: desired,
                                                  ordering: .acquiringAndReleasing).exchanged
    }

    /// Whether slot `index` belongs to `key` (call under the owning shard's lock).
    @inline(__always)
    func holds(_ index: Int, _ key: RateLimitKey) -> Bool {
        precondition(index >= 0 && index < count)
        return slots[index].low.load(ordering: .relaxed) == key.low
            && slots[index].high.load(ordering: .relaxed) == key.high
    }

    /// Gives slot `index` to `key` (call under the owning shard's lock).
    @inline(__always)
    func assign(_ index: Int, to key: RateLimitKey) {
        precondition(index >= 0 && index < count)
        slots[index].high.store(key.high, ordering: .relaxed)
        slots[index].low.store(key.low, ordering: .relaxed)
    }
}
