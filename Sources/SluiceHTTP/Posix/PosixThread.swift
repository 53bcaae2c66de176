import CSystem
import Glibc

/// A joinable pthread running one closure (event loops run on these, not on Dispatch).
/// `join()` is called once, by the thread that spawned it or its owner.
/// `@unchecked Sendable` is safe: `handle` is immutable after spawn.
public final class PosixThread: @unchecked Sendable {
    private let handle: pthread_t

    private init(handle: pthread_t) {
        self.handle = handle
    }

    /// Starts a thread named `name` (truncated to 15 bytes) running `body`.
    public static func spawn(name: String, _ body: @escaping @Sendable () -> Void) throws(SystemError) -> PosixThread {
        /// The closure crosses into the new thread as a retained box; the thread releases it.
        final class Box { let body: @Sendable () -> Void; let name: String; init(_ b: @escaping @Sendable () -> Void, _ n: String) { body = b; name = n } }
        let box = Unmanaged.passRetained(Box(body, name)).toOpaque()
        var handle = pthread_t()
        let status = pthread_create(&handle, nil, { argument in
            let box = Unmanaged<Box>.fromOpaque(argument!).takeRetainedValue()
            csystem_set_thread_name(box.name)
            box.body()
            return nil
        }, box)
        if status != 0 {
            Unmanaged<Box>.fromOpaque(box).release()
            throw SystemError(errno: status, call: "pthread_create")
        }
        return PosixThread(handle: handle)
    }

    /// Waits for the thread to finish.
    public func join() {
        _ = pthread_join(handle, nil)
    }
}

/// The identity of a thread, for `assertOnLoop()` checks.
public struct ThreadID: Sendable, Equatable {
    let raw: UInt

    public static var current: ThreadID { ThreadID(raw: UInt(pthread_self())) }
}
