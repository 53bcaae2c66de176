import Foundation
import SluicePolicy

/// Nanosecond constants and a one-pair decision for the rate-limit tests (the clock is just a
/// number the tests advance: nothing here sleeps).
enum RateLimitTestClock {
    static let second: UInt64 = 1_000_000_000
    static let millisecond: UInt64 = 1_000_000
    /// A start far from 0 and aligned to a day, so window positions are easy to reason about.
    static let start: UInt64 = 20_000 * 86_400 * second
}

extension RateLimitTable {
    /// Decides one request against a single (key, rule) pair.
    func decide(key: RateLimitKey, rule: RateLimitRule, now: UInt64, maxDelay: UInt64 = 0,
                policy: RateLimitPolicyName = .burst) -> RateLimitDecision {
        var batch = RateLimitBatch(capacity: 1)
        batch.append(key: key, rule: rule, policy: policy)
        return decide(&batch, now: now, maxDelayNanoseconds: maxDelay)
    }
}

/// Runs `body(thread)` on `count` new OS threads released together (a start gate) and returns
/// when all have finished (joined through semaphores: no sleeping).
func runOnThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let ready = DispatchSemaphore(value: 0)
    let go = DispatchSemaphore(value: 0)
    let finished = DispatchSemaphore(value: 0)
    for index in 0..<count {
        let thread = Thread {
            ready.signal()
            go.wait()
            body(index)
            finished.signal()
        }
        thread.start()
    }
    for _ in 0..<count { ready.wait() }
    for _ in 0..<count { go.signal() }
    for _ in 0..<count { finished.wait() }
}
