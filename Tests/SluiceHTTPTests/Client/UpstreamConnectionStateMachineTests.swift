import Testing
@testable import SluiceHTTP
import SluiceTestSupport

@Suite struct UpstreamConnectionStateMachineTests {
    let target = UpstreamTarget(host: "127.0.0.1", port: 8080)

    func head(status: Int = 200, framing: HTTPBodyFraming, keepAlive: Bool = true) -> HTTPResponseHead {
        var head = HTTPResponseHead()
        head.status = status
        head.framing = framing
        head.keepAlive = keepAlive
        return head
    }

    /// A connected, idle machine.
    func idleMachine(maxBody: Int? = nil) -> UpstreamConnectionStateMachine {
        var machine = UpstreamConnectionStateMachine(target: target, maxResponseBodyBytes: maxBody)
        _ = machine.connected()
        return machine
    }

    @Test func requestStartedWhileConnectingIsWrittenOnConnect() {
        var machine = UpstreamConnectionStateMachine(target: target)
        #expect(machine.phase == .connecting)
        #expect(machine.startRequest(method: .GET, idempotent: true) == true)
        #expect(machine.phase == .busy)
        #expect(machine.connected() == .startWriting)
        #expect(machine.startRequest(method: .GET, idempotent: true) == false)
    }

    @Test func connectWithoutRequestBecomesIdle() {
        var machine = UpstreamConnectionStateMachine(target: target)
        #expect(machine.connected() == .becomeIdle)
        #expect(machine.phase == .idle)
    }

    @Test func connectFailureCarriesContextAndIsRetrySafe() {
        var machine = UpstreamConnectionStateMachine(target: target)
        _ = machine.startRequest(method: .POST, idempotent: false)
        let error = machine.connectFailed(.connectRefused, errno: 111)
        #expect(error.kind == .connectRefused)
        #expect(error.errno == 111)
        #expect(error.target == target)
        #expect(error.isRetrySafe)
        #expect(machine.phase == .closed)
        #expect(machine.startRequest(method: .GET, idempotent: true) == false)
    }

    @Test func contentLengthKeepAliveReturnsToIdleAndNextRequestIsReused() {
        var machine = idleMachine()
        #expect(machine.startRequest(method: .GET, idempotent: true) == true)
        #expect(machine.requestWritten() == .armResponseTimeout)
        #expect(machine.receivedBytes() == true)
        #expect(machine.receivedHead(head(framing: .contentLength(10))) == .deliver(end: nil))
        #expect(machine.receivedBody(4) == .deliver(count: 4, end: nil))
        #expect(machine.responseProgress == .contentLength(remaining: 6))
        #expect(machine.receivedBody(6) == .deliver(count: 6, end: .release(reusable: true)))
        #expect(machine.phase == .idle)
        #expect(machine.completedExchanges == 1)

        // The second exchange is on a reused connection: a reset before any byte is retry-safe
        // for an idempotent request (the stale keep-alive race).
        #expect(machine.startRequest(method: .GET, idempotent: true) == true)
        _ = machine.requestWritten()
        guard case .fail(let error) = machine.receivedEOF() else {
            Issue.record("EOF while awaiting the head must fail")
            return
        }
        #expect(error.kind == .reset)
        #expect(error.connectionReused)
        #expect(error.responseStarted == false)
        #expect(error.isRetrySafe)
        #expect(machine.phase == .closed)
    }

    @Test func resetOfNonIdempotentRequestOnReusedConnectionIsNotRetrySafe() {
        var machine = idleMachine()
        _ = machine.startRequest(method: .GET, idempotent: true)
        _ = machine.requestWritten()
        _ = machine.receivedBytes()
        _ = machine.receivedHead(head(framing: .contentLength(0)))
        #expect(machine.completedExchanges == 1)
        #expect(machine.startRequest(method: .POST, idempotent: false) == true)
        _ = machine.requestWritten()
        guard case .fail(let error) = machine.receivedEOF() else {
            Issue.record("EOF while awaiting the head must fail")
            return
        }
        #expect(error.connectionReused)
        #expect(error.responseStarted == false)
        // The upstream may have processed the POST before the connection reset.
        #expect(error.isRetrySafe == false)
    }

    @Test func resetOnFreshConnectionIsNeverRetrySafe() {
        var post = idleMachine()
        _ = post.startRequest(method: .POST, idempotent: false)
        guard case .fail(let postError) = post.failed(.reset, errno: 104, call: "read") else {
            Issue.record("expected a failure"); return
        }
        #expect(postError.isRetrySafe == false)
        #expect(postError.errno == 104)

        var get = idleMachine()
        _ = get.startRequest(method: .GET, idempotent: true)
        guard case .fail(let getError) = get.failed(.reset, errno: 104, call: "read") else {
            Issue.record("expected a failure"); return
        }
        // A fresh connection was not stale: the upstream may have received the request and failed on it.
        #expect(getError.requestIdempotent)
        #expect(getError.isRetrySafe == false)
    }

    @Test func resetAfterResponseStartedIsNeverRetrySafe() {
        var machine = idleMachine()
        _ = machine.startRequest(method: .GET, idempotent: true)
        _ = machine.requestWritten()
        _ = machine.receivedBytes()
        _ = machine.receivedHead(head(framing: .contentLength(100)))
        _ = machine.receivedBody(10)
        guard case .fail(let error) = machine.receivedEOF() else {
            Issue.record("EOF mid-body must fail, not end"); return
        }
        #expect(error.kind == .reset)
        #expect(error.responseStarted)
        #expect(error.isRetrySafe == false)
    }

    @Test func bytesBeyondContentLengthMakeTheConnectionNotReusable() {
        var machine = idleMachine()
        _ = machine.startRequest(method: .GET, idempotent: true)
        _ = machine.requestWritten()
        _ = machine.receivedHead(head(framing: .contentLength(3)))
        #expect(machine.receivedBody(5) == .deliver(count: 3, end: .release(reusable: false)))
        #expect(machine.phase == .closed)
    }

    @Test func noBodyResponsesEndAtTheHead() {
        var machine = idleMachine()
        _ = machine.startRequest(method: .HEAD, idempotent: true)
        _ = machine.requestWritten()
        #expect(machine.receivedHead(head(framing: .none)) == .deliver(end: .release(reusable: true)))
        #expect(machine.phase == .idle)
        _ = machine.startRequest(method: .GET, idempotent: true)
        _ = machine.requestWritten()
        #expect(machine.receivedHead(head(framing: .contentLength(0))) == .deliver(end: .release(reusable: true)))
    }

    @Test func interimResponsesAreSkipped() {
        var machine = idleMachine()
        _ = machine.startRequest(method: .POST, idempotent: false)
        _ = machine.requestWritten()
        #expect(machine.receivedHead(head(status: 100, framing: .none)) == .skipInterim)
        #expect(machine.receivedHead(head(status: 103, framing: .none)) == .skipInterim)
        #expect(machine.phase == .busy)
        #expect(machine.receivedHead(head(status: 201, framing: .none)) == .deliver(end: .release(reusable: true)))
    }

    @Test func unaskedSwitchingProtocolsIsMalformed() {
        var machine = idleMachine()
        _ = machine.startRequest(method: .GET, idempotent: true)
        guard case .fail(let error) = machine.receivedHead(head(status: 101, framing: .none)) else {
            Issue.record("101 without Upgrade must fail"); return
        }
        guard case .malformedResponse = error.kind else {
            Issue.record("expected malformedResponse, got \(error.kind)"); return
        }
        #expect(machine.phase == .closed)
    }

    @Test func closeDelimitedBodyEndsAtEOFAndIsNotReusable() {
        var machine = idleMachine()
        _ = machine.startRequest(method: .GET, idempotent: true)
        _ = machine.requestWritten()
        #expect(machine.receivedHead(head(framing: .untilClose)) == .deliver(end: nil))
        #expect(machine.receivedBody(1000) == .deliver(count: 1000, end: nil))
        #expect(machine.receivedEOF() == .finish(.release(reusable: false)))
        #expect(machine.phase == .closed)
    }

    @Test func chunkedBodyEndsWhenTheDecoderFinishes() {
        var machine = idleMachine()
        _ = machine.startRequest(method: .GET, idempotent: true)
        _ = machine.requestWritten()
        #expect(machine.receivedHead(head(framing: .chunked)) == .deliver(end: nil))
        #expect(machine.receivedBody(7) == .deliver(count: 7, end: nil))
        #expect(machine.chunkedBodyFinished(extraBytes: false) == .release(reusable: true))
        #expect(machine.phase == .idle)
    }

    @Test func connectionCloseResponseIsNotReusable() {
        var machine = idleMachine()
        _ = machine.startRequest(method: .GET, idempotent: true)
        _ = machine.requestWritten()
        #expect(machine.receivedHead(head(framing: .contentLength(0), keepAlive: false)) == .deliver(end: .release(reusable: false)))
        #expect(machine.phase == .closed)
    }

    @Test func responseCompletingBeforeTheRequestWasWrittenClosesTheConnection() {
        var machine = idleMachine()
        _ = machine.startRequest(method: .POST, idempotent: false)
        _ = machine.receivedBytes()
        #expect(machine.receivedHead(head(status: 413, framing: .contentLength(0))) == .deliver(end: .release(reusable: false)))
        #expect(machine.phase == .closed)
    }

    @Test func requestWrittenAfterFirstByteDoesNotArmTheResponseTimeout() {
        var machine = idleMachine()
        _ = machine.startRequest(method: .POST, idempotent: false)
        _ = machine.receivedBytes()
        #expect(machine.requestWritten() == .none)
    }

    @Test func bodyLimitIsEnforcedForDeclaredAndStreamedBodies() {
        var declared = idleMachine(maxBody: 100)
        _ = declared.startRequest(method: .GET, idempotent: true)
        guard case .fail(let error) = declared.receivedHead(head(framing: .contentLength(101))) else {
            Issue.record("a declared oversize body must fail at the head"); return
        }
        #expect(error.kind == .bodyTooLarge)

        var streamed = idleMachine(maxBody: 100)
        _ = streamed.startRequest(method: .GET, idempotent: true)
        _ = streamed.receivedHead(head(framing: .chunked))
        #expect(streamed.receivedBody(100) == .deliver(count: 100, end: nil))
        guard case .fail(let streamedError) = streamed.receivedBody(1) else {
            Issue.record("a streamed oversize body must fail"); return
        }
        #expect(streamedError.kind == .bodyTooLarge)
        #expect(streamed.phase == .closed)
    }

    @Test func idleConnectionClosedByUpstreamClosesQuietly() {
        var machine = idleMachine()
        #expect(machine.receivedBytes() == false)
        #expect(machine.receivedEOF() == .close)
        #expect(machine.phase == .closed)
    }

    @Test func timeoutsAreNotRetrySafe() {
        var machine = idleMachine()
        _ = machine.startRequest(method: .GET, idempotent: true)
        _ = machine.requestWritten()
        guard case .fail(let error) = machine.failed(.responseTimeout) else {
            Issue.record("expected a failure"); return
        }
        #expect(error.kind == .responseTimeout)
        #expect(error.isRetrySafe == false)
    }
}

/// Random event sequences (seeded, reproducible) against the lifecycle's invariants.
@Suite struct UpstreamConnectionStateMachineSequenceTests {
    @Test(arguments: 0..<200)
    func invariantsHoldForRandomEventSequences(seed: Int) {
        var random = SplitMix64(state: UInt64(seed))
        var machine = UpstreamConnectionStateMachine(target: UpstreamTarget(host: "127.0.0.1", port: 1), maxResponseBodyBytes: 1_000)
        var requestWritten = false
        var sawClosed = false
        for _ in 0..<60 {
            let before = machine.phase
            let completedBefore = machine.completedExchanges
            var released: Bool? = nil
            switch random.below(9) {
            case 0:
                _ = machine.connected()
            case 1:
                let started = machine.startRequest(method: random.below(2) == 0 ? .GET : .HEAD, idempotent: true)
                #expect(started == (before == .idle || before == .connecting))
                if started { requestWritten = false }
            case 2:
                _ = machine.requestWritten()
                if before == .busy { requestWritten = true }
            case 3:
                var head = HTTPResponseHead()
                head.status = [100, 200, 204, 304, 404][random.below(5)]
                head.keepAlive = random.below(4) != 0
                head.framing = [.none, .contentLength(random.below(50)), .chunked, .untilClose][random.below(4)]
                if case .deliver(let end?) = machine.receivedHead(head), case .release(let reusable) = end {
                    released = reusable
                }
            case 4:
                if case .deliver(_, let end?) = machine.receivedBody(random.below(80)), case .release(let reusable) = end {
                    released = reusable
                }
            case 5:
                let inChunkedBody = machine.responseProgress == .chunked
                if case .release(let reusable) = machine.chunkedBodyFinished(extraBytes: random.below(5) == 0) {
                    if inChunkedBody {
                        released = reusable
                    } else {
                        #expect(machine.phase == .closed, "misuse closes the connection")
                    }
                }
            case 6:
                if case .finish(.release(let reusable)) = machine.receivedEOF() { released = reusable }
            case 7:
                _ = machine.receivedBytes()
            default:
                if random.below(10) == 0 { _ = machine.failed(.readTimeout) }
            }
            if sawClosed {
                #expect(machine.phase == .closed, "closed must be final")
            }
            if let released {
                #expect(machine.completedExchanges == completedBefore + 1)
                #expect(machine.phase == (released ? .idle : .closed))
                if released {
                    #expect(requestWritten, "a connection is reusable only after its request was fully written")
                }
            }
            if machine.phase == .closed { sawClosed = true }
        }
    }
}
