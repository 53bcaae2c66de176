/// A reference to a loop-confined object (a server worker, a connection pool) that other threads
/// may hold and pass around but dereference only on the object's own loop.
/// `@unchecked Sendable` is safe: `value(on:)` traps unless called with the owning loop, which is
/// only ever handed to code running on that loop's thread; the stored reference is immutable.
public final class LoopBound<Value: AnyObject>: @unchecked Sendable {
    private let value: Value
    private let inbox: ObjectIdentifier

    /// Create on `loop`'s thread.
    public init(_ value: Value, on loop: EventLoop) {
        loop.assertOnLoop()
        self.value = value
        inbox = ObjectIdentifier(loop.inbox)
    }

    /// Whether the object belongs to `loop`.
    public func isBound(to loop: EventLoop) -> Bool {
        ObjectIdentifier(loop.inbox) == inbox
    }

    /// The object; `loop` must be the loop it belongs to (e.g. the one passed to an inbox task).
    public func value(on loop: EventLoop) -> Value {
        precondition(ObjectIdentifier(loop.inbox) == inbox, "LoopBound dereferenced on a foreign loop")
        loop.assertOnLoop()
        return value
    }
}
