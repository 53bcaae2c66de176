import SluiceConfig
import SluiceHTTP

/// The sync state machine on the sync event loop: long-poll the control plane for a version
/// newer than the one applied (or refused), apply it through the `SnapshotInstaller` (decode,
/// validate and compile on this loop's thread, never on a proxy worker), cache it, report the
/// outcome, poll again. Failures to reach the control plane back off exponentially with
/// jitter (`initialBackoff` doubling up to `maximumBackoff`); the config in service is untouched.
///
/// A refused version is remembered: the next poll asks for versions after it, so the same bad
/// version is never retried in a loop, while `applied` (what is served and reported) stays.
///
/// Thread affinity: created on and used only by its event loop; it keeps itself alive through
/// the pending exchange or timer.
final class ControlPlaneSync {
    struct Setup: Sendable {
        var settings: ControlPlaneSettings
        var token: String
        var nodeID: String
        var hostname: String
        var installer: SnapshotInstaller
        var cache: SnapshotCache?
        /// The version already in service (from the cache), 0 for none.
        var appliedVersion: Int
        var waitSeconds = 30
        var maximumSnapshotBytes = 64 << 20
        var initialBackoffMilliseconds: UInt64 = 100
        var maximumBackoffMilliseconds: UInt64 = 10_000
    }

    private let loop: EventLoop
    private let setup: Setup
    private let pools: UpstreamPools
    private let target: UpstreamTarget
    private var applied: Int
    private var refused: Int?
    private var reportedError: String?
    private var failures = 0
    private var lastLoggedFailure: String?
    private var hasReported = false
    /// Until the control plane answers (at start and after each failure), polls do not wait (`wait=0`): the first answer
    /// (304 or a version) marks it reachable and registers this node at once.
    private var hasContacted = false

    init(loop: EventLoop, setup: Setup) {
        self.loop = loop
        self.setup = setup
        var configuration = UpstreamClientConfiguration()
        configuration.responseTimeoutMilliseconds = Int64(setup.waitSeconds + 15) * 1000
        configuration.readIdleTimeoutMilliseconds = Int64(setup.waitSeconds + 15) * 1000
        configuration.maxIdleConnections = 2
        pools = UpstreamPools(loop: loop, configuration: configuration)
        target = UpstreamTarget(host: setup.settings.host, port: setup.settings.port)
        applied = setup.appliedVersion
    }

    private var status: ProxyStatus { setup.installer.status }

    private var hostField: String {
        let host = setup.settings.host.contains(":") ? "[\(setup.settings.host)]" : setup.settings.host
        return "\(host):\(setup.settings.port)"
    }

    func poll() {
        let after = max(applied, refused ?? 0)
        let wait = hasContacted ? setup.waitSeconds : 0
        let request = "GET /v1/dataplane/snapshot?after=\(after)&node_id=\(Self.percentEncoded(setup.nodeID))&wait=\(wait) HTTP/1.1\r\n"
            + "Host: \(hostField)\r\nAuthorization: Bearer \(setup.token)\r\nAccept: application/json\r\n\r\n"
        ControlPlaneExchange.send(Array(request.utf8), to: target, pools: pools, method: .GET,
                                  maximumBodyBytes: setup.maximumSnapshotBytes) { [self] outcome in
            polled(outcome)
        }
    }

    private func polled(_ outcome: ControlPlaneExchange.Outcome) {
        switch outcome {
        case .failed(let reason):
            failed("cannot reach \(setup.settings.url): \(reason)")
        case .response(200, let version, let body):
            contacted()
            apply(body, headerVersion: version)
            report { [self] in poll() }
        case .response(304, _, _):
            contacted()
            // Nothing newer than what serves (a cached copy of the control plane's newest
            // version, say): it is the control plane's config now.
            if refused == nil && applied > 0 { status.setSource("control-plane:" + setup.settings.url) }
            if hasReported {
                poll()
            } else {
                report { [self] in poll() }
            }
        case .response(let code, _, let body) where code == 401 || code == 403:
            failed("the control plane refused the data-plane token (HTTP \(code)): \(Self.excerpt(body))")
        case .response(let code, _, let body):
            failed("GET /v1/dataplane/snapshot answered HTTP \(code): \(Self.excerpt(body))")
        }
    }

    private func contacted() {
        hasContacted = true
        failures = 0
        if lastLoggedFailure != nil {
            ProxyLog.info("control_plane_reachable", "control plane \(setup.settings.url) reachable again",
                          ["url": .string(setup.settings.url)])
            lastLoggedFailure = nil
        }
        status.recordControlPlaneContact()
    }

    private func failed(_ reason: String) {
        hasContacted = false
        status.recordControlPlaneFailure(reason)
        if reason != lastLoggedFailure {
            ProxyLog.warning("control_plane_unreachable", reason + " (retrying with backoff)",
                             ["url": .string(setup.settings.url), "reason": .string(reason)])
            lastLoggedFailure = reason
        }
        failures += 1
        let shift = UInt64(min(failures - 1, 20))
        let delay = min(setup.maximumBackoffMilliseconds, setup.initialBackoffMilliseconds << shift)
        let jittered = delay / 2 + UInt64.random(in: 0...(delay / 2))
        _ = loop.schedule(after: jittered * 1_000_000) { [self] in poll() }
    }

    /// Decode → validate → compile → swap, or remember the refusal.
    private func apply(_ body: [UInt8], headerVersion: Int?) {
        let now = MonotonicClock.wallSeconds()
        let snapshot: Snapshot
        do {
            snapshot = try SnapshotDecoder.decodeAndValidate(body)
        } catch {
            refuse(headerVersion ?? max(applied, refused ?? 0) + 1,
                   setup.installer.refuse(ConfigLoadFailure(at: now, message: SnapshotInstaller.summary(error.problems),
                                                            problems: error.problems)))
            return
        }
        do {
            try setup.installer.install(snapshot, at: now)
        } catch {
            refuse(snapshot.version, error)
            return
        }
        applied = snapshot.version
        refused = nil
        reportedError = nil
        status.setSource("control-plane:" + setup.settings.url)
        ProxyLog.info("config_applied", "applied config version \(snapshot.version) from \(setup.settings.url)",
                      ["version": .int(snapshot.version), "source": .string("control-plane:" + setup.settings.url)])
        if let cache = setup.cache {
            do {
                try cache.store(body)
            } catch {
                ProxyLog.warning("cache_write_failed", "last-known-good cache: \(error)")
            }
        }
    }

    private func refuse(_ failedVersion: Int, _ failure: ConfigLoadFailure) {
        refused = failedVersion
        let text = "version \(failedVersion) refused: " + failure.lines.joined(separator: "; ")
        reportedError = text
        ProxyLog.error("config_refused", text + " (version \(applied) keeps serving)",
                       ["version": .int(failedVersion), "serving_version": .int(applied),
                        "reason": .string(failure.message),
                        "problems": ProxyLog.problemList(failure)])
    }

    /// `POST /v1/dataplane/status`, then `next` whatever the outcome (a failure shows on the next poll).
    private func report(then next: @escaping () -> Void) {
        let json = JSONWriter.compact(.object([
            .init("node_id", .string(setup.nodeID)),
            .init("hostname", .string(setup.hostname)),
            .init("applied_version", .integer(Int64(applied))),
            .init("error", reportedError.map { .string($0) } ?? .null),
        ]))
        let head = "POST /v1/dataplane/status HTTP/1.1\r\nHost: \(hostField)\r\nAuthorization: Bearer \(setup.token)\r\n"
            + "Content-Type: application/json\r\nContent-Length: \(json.count)\r\n\r\n"
        ControlPlaneExchange.send(Array(head.utf8) + json, to: target, pools: pools, method: .POST,
                                  maximumBodyBytes: 64 << 10) { [self] outcome in
            switch outcome {
            case .response(let code, _, _) where code / 100 == 2:
                hasReported = true
            case .response(let code, _, let body):
                ProxyLog.warning("status_report_failed", "POST /v1/dataplane/status answered HTTP \(code): \(Self.excerpt(body))")
            case .failed(let reason):
                ProxyLog.warning("status_report_failed", "POST /v1/dataplane/status failed: \(reason)")
            }
            next()
        }
    }

    static func percentEncoded(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                result += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 15)]], as: UTF8.self)
            }
        }
        return result
    }

    static func excerpt(_ body: [UInt8]) -> String {
        String(decoding: body.prefix(300), as: UTF8.self)
    }
}
