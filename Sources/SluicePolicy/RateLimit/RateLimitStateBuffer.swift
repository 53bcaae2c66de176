import Synchronization

/// A fixed array of 128-bit atomic state words, one per table slot (16 bytes each).
///
/// Buffer type (raw pointer inside): `Atomic` is non-copyable and cannot live in an `Array`.
/// Why it is safe: the memory is allocated and initialised once in `init` with a fixed
/// `count`, deinitialised and freed only in `deinit` (no other owner exists), every access
/// checks its index against `count` (`precondition`), and elements are only ever touched
/// through their atomic operations, so sharing across threads (`@unchecked Sendable`) is race-free.
final class RateLimitStateBuffer: @unchecked Sendable {
    let count: Int
    private let words: UnsafeMutablePointer<Atomic<WordPair>>

    init(count: Int) {
        self.count = count
        words = UnsafeMutablePointer<Atomic<WordPair>>.allocate(capacity: count)
        for index in 0..<count {
            (words + index).initialize(to: Atomic(WordPair(first: 0, second: 0)))
        }
    }

    deinit {
        words.deinitialize(count: count)
        words.deallocate()
    }

    /// Bytes allocated for the states.
    var allocatedBytes: Int { count * MemoryLayout<Atomic<WordPair>>.stride }

    @inline(__always)
    func load(_ index: Int) -> WordPair {
        precondition(index >= 0 && index < count)
        return words[index].load(ordering: .acquiring)
    }

    /// Replaces `expected` with `desired`; false (and nothing written) if the slot changed.
    @inline(__always)
    func compareExchange(_ index: Int, expected: WordPair, desired: WordPair) -> Bool {
        precondition(index >= 0 && index < count)
        return words[index].compareExchange(expected: expected, desired: desired,
                                            ordering: .acquiringAndReleasing).exchanged
    }
}
