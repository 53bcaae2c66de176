import SluiceHTTP

/// Configuration from the control plane (`--control-plane`): a dedicated one-loop
/// `EventLoopGroup` (the sync thread) running `ControlPlaneSync`. `start` returns at once; the
/// proxy serves whatever is installed meanwhile (a cached snapshot or nothing: 503).
public final class ControlPlaneSource: Sendable {
    private let group: EventLoopGroup

    init(setup: ControlPlaneSync.Setup) throws(SystemError) {
        group = try EventLoopGroup(loopCount: 1, name: "sluice-sync")
        group.inboxes[0].execute { loop in
            ControlPlaneSync(loop: loop, setup: setup).poll()
        }
    }

    /// Stops the sync thread (a pending long-poll is abandoned) and joins it.
    public func stop() {
        group.stop()
        group.wait()
    }
}
