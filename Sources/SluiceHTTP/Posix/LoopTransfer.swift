/// Moves a freshly created, not yet running `EventLoop` to the thread that will run it.
/// `@unchecked Sendable` is safe: the loop is created on the spawning thread, never touched there
/// again after `PosixThread.spawn`, and taken exactly once by the new thread.
final class LoopTransfer: @unchecked Sendable {
    private var loop: EventLoop?

    init(_ loop: EventLoop) { self.loop = loop }

    func take() -> EventLoop {
        guard let loop else { preconditionFailure("LoopTransfer taken twice") }
        self.loop = nil
        return loop
    }
}
