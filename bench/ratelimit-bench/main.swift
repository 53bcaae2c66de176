// sluice-ratelimit-bench: nanoseconds per RateLimitTable decision (release build).
//   swift build -c release --product sluice-ratelimit-bench && .build/release/sluice-ratelimit-bench
// Scenarios: 1 thread on 1 hot key and on 1M keys spread; 2 threads contended on one key and on
// spread keys; hierarchical (3 pairs); key digest. The clock is a counter (1 ns per decision),
// so every bucket decision is an allowed one that commits (the costly path).
import Foundation
import SluicePolicy
import Synchronization

let iterations = CommandLine.arguments.count > 2 ? Int(CommandLine.arguments[2]) ?? 10_000_000 : 10_000_000
let spreadKeys = min(1_000_000, iterations)
let keys = RateLimitKeyBuilder()
let unlimited = try RateLimitRule.tokenBucket(requestsPerSecond: 1_000_000_000, burst: 1_000_000_000)
let minute = try RateLimitRule.slidingWindow(limit: Int(UInt32.max - 1), windowSeconds: 60)
let spread: [RateLimitKey] = (0..<spreadKeys).map { keys.key(scope: "user", identity: "user-\($0)") }
let start: UInt64 = 1_000_000_000_000
let orgs = [keys.key(scope: "org", identity: "acme-0"), keys.key(scope: "org", identity: "acme-1")]
/// Optional first argument: run only the scenarios whose name contains it.
let filter = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : ""

func elapsed(_ body: () -> Void) -> Double {
    let clock = ContinuousClock()
    let begin = clock.now
    body()
    let duration = clock.now - begin
    return Double(duration.components.seconds) * 1e9 + Double(duration.components.attoseconds) / 1e9
}

/// Runs `body(thread, chunk)` (each call makes `chunkSize` decisions) on `threads` threads,
/// timing every chunk on its thread. The machine is shared (other builds run alongside), so the
/// report gives the fastest chunk (the cost when not preempted) and the median chunk.
let chunkSize = 20_000

func measure(_ name: String, threads: Int, decisionsPerThread: Int,
             _ body: @Sendable @escaping (_ thread: Int, _ chunk: Int) -> Int) {
    guard filter.isEmpty || name.contains(filter) else { return }
    let chunks = max(1, decisionsPerThread / chunkSize)
    let allowed = Atomic<Int>(0)
    let timings = Mutex<[Double]>([])
    let nanoseconds = elapsed {
        runOnThreads(threads) { thread in
            var mine: [Double] = []
            mine.reserveCapacity(chunks)
            var count = 0
            for chunk in 0..<chunks {
                mine.append(elapsed { count += body(thread, chunk) } / Double(chunkSize))
            }
            allowed.add(count, ordering: .relaxed)
            timings.withLock { $0.append(contentsOf: mine) }
        }
    }
    let sorted = timings.withLock { $0.sorted() }
    let total = Double(threads * chunks * chunkSize) / (nanoseconds / 1e9) / 1e6
    let padded = name + String(repeating: " ", count: max(0, 46 - name.count))
    print("| \(padded) | \(threads) | \(format3(sorted[0])) | \(format3(sorted[sorted.count / 2])) | \(format3(total)) | \(allowed.load(ordering: .relaxed)) |")
}

/// Runs `body(thread)` on `count` new OS threads released together (a start gate: dispatch's
/// concurrentPerform ran the two iterations one after the other on this loaded machine) and
/// returns when all have finished.
func runOnThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let ready = DispatchSemaphore(value: 0)
    let go = DispatchSemaphore(value: 0)
    let finished = DispatchSemaphore(value: 0)
    for index in 0..<count {
        Thread {
            ready.signal()
            go.wait()
            body(index)
            finished.signal()
        }.start()
    }
    for _ in 0..<count { ready.wait() }
    for _ in 0..<count { go.signal() }
    for _ in 0..<count { finished.wait() }
}

func format3(_ value: Double) -> String {
    let scaled = (value * 10).rounded() / 10
    return "\(scaled)"
}

func hot(table: RateLimitTable, key: RateLimitKey, count: Int, chunk: Int = 0) -> Int {
    var batch = RateLimitBatch(capacity: 4)
    batch.append(key: key, rule: unlimited, policy: .burst)
    var allowed = 0
    var now = start + UInt64(chunk * count)
    for _ in 0..<count {
        now &+= 1
        if table.decide(&batch, now: now) == .allowed { allowed += 1 }
    }
    return allowed
}

func spreadOver(table: RateLimitTable, offset: Int, count: Int, chunk: Int = 0) -> Int {
    var batch = RateLimitBatch(capacity: 4)
    var allowed = 0
    var now = start + UInt64(chunk * count)
    var index = (offset + chunk * count * 611_953) % spreadKeys
    for _ in 0..<count {
        now &+= 1
        index = (index &+ 611_953) % spreadKeys  // a large prime stride: no locality
        batch.removeAll()
        batch.append(key: spread[index], rule: unlimited, policy: .burst)
        if table.decide(&batch, now: now) == .allowed { allowed += 1 }
    }
    return allowed
}

func hierarchical(table: RateLimitTable, offset: Int, count: Int, chunk: Int = 0) -> Int {
    var batch = RateLimitBatch(capacity: 4)
    let org = orgs[offset % 2]
    var allowed = 0
    var now = start + UInt64(chunk * count)
    var index = (offset + chunk * count * 611_953) % spreadKeys
    for _ in 0..<count {
        now &+= 1
        index = (index &+ 611_953) % spreadKeys
        batch.removeAll()
        batch.append(key: spread[index], rule: unlimited, policy: .burst)
        batch.append(key: spread[index], rule: minute, policy: .minute)
        batch.append(key: org, rule: unlimited, policy: .orgBurst)
        if table.decide(&batch, now: now) == .allowed { allowed += 1 }
    }
    return allowed
}

print("| scenario | threads | ns/decision, fastest chunk | ns/decision, median chunk | M decisions/s (all threads, wall) | allowed |")
print("| --- | --- | --- | --- | --- | --- |")
let warm = RateLimitTable(maxKeys: 1024)
_ = hot(table: warm, key: spread[0], count: 1_000_000)

let hotTable = RateLimitTable(maxKeys: 1 << 16)
measure("1 key hot (token bucket)", threads: 1, decisionsPerThread: iterations) { _, chunk in
    hot(table: hotTable, key: spread[0], count: chunkSize, chunk: chunk)
}
let bigTable = RateLimitTable(maxKeys: 4 * spreadKeys)
_ = spreadOver(table: bigTable, offset: 0, count: spreadKeys)  // insert every key once
measure("1M keys spread (token bucket)", threads: 1, decisionsPerThread: iterations) { _, chunk in
    spreadOver(table: bigTable, offset: 0, count: chunkSize, chunk: chunk)
}
let tightTable = RateLimitTable(maxKeys: spreadKeys / 4)
measure("1M keys spread, table of 250k (evicting)", threads: 1, decisionsPerThread: iterations) { _, chunk in
    spreadOver(table: tightTable, offset: 0, count: chunkSize, chunk: chunk)
}
let contended = RateLimitTable(maxKeys: 1 << 16)
measure("1 key, contended", threads: 2, decisionsPerThread: iterations) { _, chunk in
    hot(table: contended, key: spread[1], count: chunkSize, chunk: chunk)
}
measure("1M keys spread", threads: 2, decisionsPerThread: iterations) { thread, chunk in
    spreadOver(table: bigTable, offset: thread * 500_000, count: chunkSize, chunk: chunk)
}
_ = hierarchical(table: bigTable, offset: 0, count: spreadKeys)  // insert the window slots
measure("hierarchical: bucket + minute + org bucket", threads: 1, decisionsPerThread: iterations) { _, chunk in
    hierarchical(table: bigTable, offset: 0, count: chunkSize, chunk: chunk)
}
measure("hierarchical, 2 threads (one org each)", threads: 2, decisionsPerThread: iterations) { thread, chunk in
    hierarchical(table: bigTable, offset: thread, count: chunkSize, chunk: chunk)
}

// The key digest the integrator computes per request (scope + a 12-byte identity).
let identity: [UInt8] = Array("user-1234567".utf8)
let scope: [UInt8] = Array("user".utf8)
var sink: UInt64 = 0
let digestNanoseconds = elapsed {
    for round in 0..<iterations {
        sink &+= keys.key(scope: scope, identity: identity).high &+ UInt64(round)
    }
}
print("| key digest (4-byte scope, 12-byte identity) | 1 | - | \(format3(digestNanoseconds / Double(iterations))) (mean) | - | \(sink & 1) |")

// Header rendering for a 3-pair batch.
var rendered: [UInt8] = []
rendered.reserveCapacity(256)
var headerBatch = RateLimitBatch(capacity: 4)
headerBatch.append(key: spread[0], rule: unlimited, policy: .burst)
headerBatch.append(key: spread[0], rule: minute, policy: .minute)
headerBatch.append(key: spread[1], rule: unlimited, policy: .orgBurst)
_ = bigTable.decide(&headerBatch, now: start + UInt64(3 * iterations))
let headerNanoseconds = elapsed {
    for _ in 0..<iterations / 10 {
        rendered.removeAll(keepingCapacity: true)
        RateLimitHeaderValue.appendPolicy(of: headerBatch, to: &rendered)
        RateLimitHeaderValue.appendRateLimit(of: headerBatch, to: &rendered)
    }
}
print("| headers: RateLimit-Policy + RateLimit (3 pairs) | 1 | - | \(format3(headerNanoseconds / Double(iterations / 10))) (mean) | - | \(rendered.count) |")
print("bytes per slot: \(RateLimitTable.bytesPerSlot); 4M-slot table allocates \(bigTable.allocatedBytes) bytes")
