import SluiceConfig

/// The one path by which a decoded, validated snapshot goes into service, shared by every config
/// source (the snapshot file now, the control-plane sync later): compile and swap through
/// `install`, then record the result in `ProxyStatus`.
///
/// `install` compiles the snapshot (route table, balancers) and publishes it with one reference
/// swap; it runs on the caller's thread — a source's own thread, never a proxy worker. It throws
/// when the snapshot cannot be compiled, and then must not have swapped anything.
/// Thread-safety: `Sendable`; callers (one source at a time) serialise their loads.
public final class SnapshotInstaller: Sendable {
    public typealias Install = @Sendable (Snapshot) throws -> Void

    public let status: ProxyStatus
    private let installSnapshot: Install

    public init(status: ProxyStatus, install: @escaping Install) {
        self.status = status
        installSnapshot = install
    }

    /// Compiles and swaps `snapshot` in and records it as loaded, or records and throws why not
    /// (the config in service stays).
    public func install(_ snapshot: Snapshot, at unixSeconds: Int) throws(ConfigLoadFailure) {
        do {
            try installSnapshot(snapshot)
        } catch let error as ConfigError {
            throw refuse(ConfigLoadFailure(at: unixSeconds, message: Self.summary(error.problems), problems: error.problems))
        } catch let error as ConfigCompileError {
            throw refuse(ConfigLoadFailure(at: unixSeconds, message: Self.summary(error.problems), problems: error.problems))
        } catch {
            throw refuse(ConfigLoadFailure(at: unixSeconds, message: "cannot compile the snapshot: \(error)"))
        }
        status.recordLoaded(version: snapshot.version, at: unixSeconds)
    }

    /// Records a failure found before installing (unreadable file, invalid JSON, invalid
    /// snapshot) and returns it for throwing.
    public func refuse(_ failure: ConfigLoadFailure) -> ConfigLoadFailure {
        status.recordRefused(failure)
        return failure
    }

    /// "1 configuration problem" / "3 configuration problems".
    static func summary(_ problems: [ConfigProblem]) -> String {
        "\(problems.count) configuration \(problems.count == 1 ? "problem" : "problems")"
    }
}
