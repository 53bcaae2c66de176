import Glibc

extension UpstreamConnection: EventLoopHandler, EventLoopTimerHandler {
    /// Readiness from the loop: completes a connect, flushes queued request bytes, reads the response.
    public func handleEvents(_ events: IOEvents) {
        if !machine.isConnected {
            finishConnect()
            return
        }
        if responsePaused, !events.isDisjoint(with: [.hangup, .error]) {
            // EPOLLHUP and EPOLLERR cannot be masked and the registration is level-triggered: while
            // paused (readability not wanted) they would wake the loop forever. The connection is
            // gone mid-response, so the exchange fails now, as a read would report it.
            let pending = (try? socket.pendingError()) ?? 0
            fail(.reset, errno: pending, call: "epoll_wait")
            return
        }
        if events.contains(.writable) {
            flushRequest()
            guard !isClosed else { return }
        }
        if !events.isDisjoint(with: [.readable, .readHangup, .hangup, .error]) {
            readResponse()
        }
    }

    public func timerFired(tag: Int) {
        guard !isClosed else { return }
        switch tag {
        case Self.connectTimerTag:
            connectTimer = .none
            if !machine.isConnected {
                report(machine.connectFailed(.connectTimeout, errno: 0))
            }
        case Self.responseTimerTag:
            responseTimer = .none
            if machine.phase == .busy, !machine.responseStarted {
                fail(.responseTimeout)
            }
        case Self.stallTimerTag:
            stallTimer = .none
            guard machine.phase == .busy else { return }
            // Only the upstream's own silence counts: not a paused consumer, not a request body the
            // consumer has yet to produce, not the wait for the first byte (the response timeout).
            let writing = machine.isConnected && !writeQueue.isEmpty
            let reading = machine.responseStarted && !responsePaused
            let idle = loop.now &- lastProgressAt
            if (writing || reading), idle >= stallTimeoutNanoseconds {
                fail(reading ? .readTimeout : .writeTimeout)
                return
            }
            let wait = (writing || reading) ? stallTimeoutNanoseconds &- idle : stallTimeoutNanoseconds
            stallTimer = loop.armTimer(after: wait, handler: self, tag: Self.stallTimerTag)
        default:
            break
        }
    }

    private func finishConnect() {
        let error: Int32
        do {
            error = try socket.pendingError()
        } catch {
            report(machine.connectFailed(.connectFailed, errno: error.errno))
            return
        }
        if error != 0 {
            report(machine.connectFailed(Self.connectErrorKind(error), errno: error))
            return
        }
        loop.cancelTimer(connectTimer)
        connectTimer = .none
        switch machine.connected() {
        case .startWriting:
            updateInterest()
            flushRequest()
        case .becomeIdle:
            updateInterest()
        }
    }

    /// Starts the time-to-first-byte timer once the whole request is in the kernel.
    func requestFullyWritten() {
        guard requestEnded, !requestWriteFailed, !requestWrittenReported, writeQueue.isEmpty, machine.phase == .busy else { return }
        requestWrittenReported = true
        if machine.requestWritten() == .armResponseTimeout, responseTimeoutNanoseconds > 0 {
            responseTimer = loop.armTimer(after: responseTimeoutNanoseconds, handler: self, tag: Self.responseTimerTag)
        }
    }
}
