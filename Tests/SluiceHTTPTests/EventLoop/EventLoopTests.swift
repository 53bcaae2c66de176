import Dispatch
import Glibc
import Testing
import SluiceTestSupport
@testable import SluiceHTTP

/// Records timer firings and event deliveries for assertions.
final class Recorder: EventLoopTimerHandler, EventLoopHandler {
    var fired: [Int] = []
    var events: [IOEvents] = []
    var onEvents: ((IOEvents) -> Void)?
    var onTimer: ((Int) -> Void)?
    func timerFired(tag: Int) { fired.append(tag); onTimer?(tag) }
    func handleEvents(_ events: IOEvents) { self.events.append(events); onEvents?(events) }
}

extension EngineSuite {
    @Suite struct EventLoopTests {
        @Test func timersFireInDeadlineOrderAndCancelledOnesNever() throws {
            let loop = try EventLoop()
            let recorder = Recorder()
            _ = loop.armTimer(after: 30_000_000, handler: recorder, tag: 3)
            _ = loop.armTimer(after: 10_000_000, handler: recorder, tag: 1)
            let cancelled = loop.armTimer(after: 15_000_000, handler: recorder, tag: 99)
            _ = loop.armTimer(after: 20_000_000, handler: recorder, tag: 2)
            let alsoCancelled = loop.armTimer(after: 5_000_000_000, handler: recorder, tag: 98)
            #expect(loop.cancelTimer(cancelled))
            #expect(loop.cancelTimer(alsoCancelled))
            #expect(!loop.cancelTimer(cancelled))
            let start = loop.now
            var firedAt: [UInt64] = []
            recorder.onTimer = { tag in
                firedAt.append(loop.now)
                if tag == 3 { loop.stop() }
            }
            loop.run()
            #expect(recorder.fired == [1, 2, 3])
            // Never early.
            #expect(firedAt[0] - start >= 10_000_000)
            #expect(firedAt[2] - start >= 30_000_000)
        }

        @Test func timerRearmedFromItsOwnCallbackFiresAgain() throws {
            let loop = try EventLoop()
            let recorder = Recorder()
            recorder.onTimer = { tag in
                if tag < 5 { _ = loop.armTimer(after: 1_000_000, handler: recorder, tag: tag + 1) } else { loop.stop() }
            }
            _ = loop.armTimer(after: 1_000_000, handler: recorder, tag: 1)
            loop.run()
            #expect(recorder.fired == [1, 2, 3, 4, 5])
        }

        @Test func manyTimersBeyondOneWheelRevolution() throws {
            let loop = try EventLoop()
            let recorder = Recorder()
            // 512 buckets x 8 ms = 4.1 s per revolution; a timer past it must not fire a revolution early.
            let far = loop.armTimer(after: 5_000_000_000, handler: recorder, tag: 7)
            for tag in 0..<1000 { _ = loop.armTimer(after: UInt64(tag % 20) * 1_000_000, handler: recorder, tag: 0) }
            recorder.onTimer = { _ in if recorder.fired.count == 1000 { loop.stop() } }
            loop.run()
            #expect(recorder.fired.count == 1000)
            #expect(loop.isTimerArmed(far))
            #expect(loop.cancelTimer(far))
        }

        @Test func executeFromAnotherThreadWakesTheLoop() throws {
            let loop = try EventLoop()
            let inbox = loop.inbox
            let ran = DispatchSemaphore(value: 0)
            DispatchQueue.global().async {
                inbox.execute { loop in
                    loop.assertOnLoop()
                    ran.signal()
                    loop.stop()
                }
            }
            // No timers are armed: only the eventfd wakeup can make run() return.
            loop.run()
            #expect(ran.wait(timeout: .now()) == .success)
        }

        @Test func groupRunsEachLoopOnItsOwnThread() throws {
            let group = try EventLoopGroup(loopCount: 2)
            let done = DispatchSemaphore(value: 0)
            for inbox in group.inboxes {
                inbox.execute { loop in
                    #expect(loop.isOnLoop)
                    done.signal()
                }
            }
            #expect(done.wait(timeout: .now() + 5) == .success)
            #expect(done.wait(timeout: .now() + 5) == .success)
            group.stop()
            group.wait()
        }

        @Test func reusedDescriptorNeverReachesStaleHandler() throws {
            let loop = try EventLoop()
            let (clientA, serverA) = try makeLoopbackPair()
            let (clientB, serverB) = try makeLoopbackPair()
            let (clientC, serverC) = try makeLoopbackPair()
            defer { for socket in [clientA, clientB, clientC, serverA, serverB, serverC] { socket.close() } }
            let first = Recorder(), stale = Recorder(), fresh = Recorder()
            // Level-triggered readable on A and B, both made readable before the loop runs, so one
            // epoll_wait returns both events.
            let registrationA = try loop.register(serverA.descriptor, events: .readable, handler: first)
            let registrationB = try loop.register(serverB.descriptor, events: .readable, handler: stale)
            _ = try Array("x".utf8).withUnsafeBytes { try clientA.write($0) }
            _ = try Array("y".utf8).withUnsafeBytes { try clientB.write($0) }
            let reusedNumber = serverB.descriptor
            var freshSocket: Socket?
            // Whichever handler runs first closes B and puts a quiet socket on B's fd number; the
            // other event of the same epoll_wait batch is then stale and must be dropped.
            let swap: (IOEvents) -> Void = { _ in
                guard freshSocket == nil else { return }
                loop.deregister(registrationA)
                loop.deregister(registrationB)
                serverB.close()
                let duplicate = dup2(serverC.descriptor, reusedNumber)
                precondition(duplicate == reusedNumber)
                let socket = Socket(takingOwnershipOf: duplicate)
                freshSocket = socket
                _ = try? loop.register(socket.descriptor, events: .readable, handler: fresh)
                _ = loop.schedule(after: 20_000_000) { loop.stop() }
            }
            first.onEvents = swap
            stale.onEvents = swap
            loop.run()
            freshSocket?.close()
            #expect(freshSocket != nil)
            #expect(first.events.count + stale.events.count == 1)
            #expect(fresh.events.isEmpty)
        }

        @Test func httpDateIsIMFFixdate() throws {
            var output: [UInt8] = []
            HTTPDate.format(784_111_777, into: &output)
            #expect(String(decoding: output, as: UTF8.self) == "Sun, 06 Nov 1994 08:49:37 GMT")
            HTTPDate.format(1_795_000_000, into: &output)
            #expect(String(decoding: output, as: UTF8.self) == "Wed, 18 Nov 2026 11:06:40 GMT")
            let loop = try EventLoop()
            #expect(loop.httpDate.count == 29)
        }
    }
}
