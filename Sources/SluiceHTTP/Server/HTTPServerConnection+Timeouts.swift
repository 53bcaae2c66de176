extension HTTPServerConnection {
    /// The monotonic deadline of the current state, or 0 when nothing times out (a request the
    /// handler is answering has no server-side deadline; its own timers apply).
    func currentDeadline() -> UInt64 {
        let timeouts = worker.timeouts
        if !writeQueue.isEmpty { return lastProgress &+ timeouts.write }
        switch phase {
        case .idle: return phaseStart &+ (isFirstRequest ? timeouts.header : timeouts.idle)
        case .head: return phaseStart &+ timeouts.header // absolute from the first byte: slow-loris defence
        case .body: return readPaused ? 0 : lastProgress &+ timeouts.body
        case .awaitingResponse, .closed: return 0
        case .lingering: return phaseStart &+ timeouts.linger
        }
    }

    /// Makes sure a timer fires no later than the current deadline. Lazy: a timer that fires earlier
    /// than needed just re-arms itself, so moving a deadline later (every keep-alive request) costs
    /// no timer operation at all.
    func updateDeadline() {
        let deadline = currentDeadline()
        guard deadline != 0 else { return }
        if timerDeadline != 0 {
            if timerDeadline <= deadline { return }
            worker.loop.cancelTimer(timer)
        }
        timer = worker.loop.armTimer(at: deadline, handler: self)
        timerDeadline = deadline
    }

    /// The timer fired: act if the current deadline has passed, else re-arm for it.
    func deadlineCheck() {
        guard phase != .closed else { return }
        let deadline = currentDeadline()
        guard deadline != 0 else { return }
        if worker.loop.now < deadline {
            updateDeadline()
            return
        }
        if !writeQueue.isEmpty { return close() } // the client stopped reading
        switch phase {
        case .idle, .lingering:
            close()
        case .head:
            failRequest(status: 408)
        case .body:
            if response == .none { failRequest(status: 408) } else { close() }
        case .awaitingResponse, .closed:
            break
        }
    }
}
