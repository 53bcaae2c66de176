import Synchronization

/// A string handed from a scripted server thread to the test thread.
public final class UpstreamTestBox: Sendable {
    private let stored = Mutex<String?>(nil)

    public init() {}

    public func set(_ value: String) { stored.withLock { $0 = value } }

    public var value: String? { stored.withLock { $0 } }
}
