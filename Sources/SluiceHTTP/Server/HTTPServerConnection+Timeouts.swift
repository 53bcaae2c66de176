extension HTTPServerConnection {
    /// The monotonic deadline of the current state, or 0 when nothing times out (a request the
    /// handler is answering has no server-side deadline; its own timers apply).
    /// With queued output, the earlier of the phase's deadline and the write deadline.
    func currentDeadline() -> UInt64 {
        guard !writeQueue.isEmpty else { return currentPhaseDeadline() }
        let writeDeadline = writeDeadline()
        // The last response is queued: only the write timeout (then lingering) applies.
        if closeAfterFlush { return writeDeadline }
        let phaseDeadline = currentPhaseDeadline()
        return phaseDeadline == 0 ? writeDeadline : min(phaseDeadline, writeDeadline)
    }

    /// The write queue has been stuck (no byte written) since `lastWriteProgress`.
    func writeDeadline() -> UInt64 { lastWriteProgress &+ worker.timeouts.write }

    /// The deadline of the current phase alone, or 0.
    func currentPhaseDeadline() -> UInt64 {
        let timeouts = worker.timeouts
        switch phase {
        case .idle: return phaseStart &+ (isFirstRequest ? timeouts.header : timeouts.idle)
        case .head: return phaseStart &+ timeouts.header // absolute from the first byte: slow-loris defence
        case .body:
            // Not reading (paused by the handler, or by a full write queue): the write timeout applies.
            return readPaused || writabilityWanted ? 0 : lastReadProgress &+ timeouts.body
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
        if !writeQueue.isEmpty && worker.loop.now >= writeDeadline() { return close() } // the client stopped reading
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
        // Still open (an error answer is queued): arm for what applies now (the write timeout).
        if phase != .closed && !isDriving { updateDeadline() }
    }
}
