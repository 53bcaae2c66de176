import Synchronization

/// The published configuration (RCU): one reference swap plus a generation counter.
///
/// Writers (a config thread: file reload, control-plane sync) call `publish`; readers are workers,
/// each through its own `ConfigStore.Reader`, which does one relaxed atomic load of the generation
/// per call and takes the lock only when the generation changed. A request keeps the
/// `CompiledConfig` it started with; the old config is freed when its last request ends.
///
/// Thread-safety: `Sendable`; `publish`, `current` and `generation` from any thread.
public final class ConfigStore: Sendable {
    private let config: Mutex<CompiledConfig?>
    private let generationCounter = Atomic<Int>(0)

    /// A store holding `initial` (nil: no config yet; workers answer 503 until one is published).
    public init(_ initial: CompiledConfig? = nil) {
        config = Mutex(initial)
        if initial != nil { generationCounter.store(1, ordering: .releasing) }
    }

    /// Makes `newConfig` current for every request that starts from now on.
    public func publish(_ newConfig: CompiledConfig) {
        config.withLock { current in
            current = newConfig
            generationCounter.wrappingAdd(1, ordering: .releasing)
        }
    }

    /// The current config (takes the lock: for status pages and writers, not for requests).
    public var current: CompiledConfig? {
        config.withLock { $0 }
    }

    /// Bumped by every `publish`; 0 until the first config.
    public var generation: Int {
        generationCounter.load(ordering: .acquiring)
    }

    /// Reads the generation without ordering: a changed value sends the reader to the lock, which
    /// orders everything; an unchanged one keeps a config the reader already obtained under the lock.
    func relaxedGeneration() -> Int {
        generationCounter.load(ordering: .relaxed)
    }

    /// One worker's cached view of the store. Thread affinity: the worker's loop only.
    public final class Reader {
        public let store: ConfigStore
        public private(set) var config: CompiledConfig?
        public private(set) var generation = 0

        public init(store: ConfigStore) {
            self.store = store
        }

        /// True when a newer config was picked up by this call (the caller rebuilds its
        /// per-config worker state, e.g. balancer and pool arrays).
        @inline(__always)
        public func refresh() -> Bool {
            let latest = store.relaxedGeneration()
            guard latest != generation else { return false }
            config = store.config.withLock { current in
                generation = store.generationCounter.load(ordering: .relaxed)
                return current
            }
            return true
        }
    }
}
