import Foundation
import SluiceConfig
import SluiceHTTP

/// Configuration from a snapshot JSON file (`--config`): read → decode → validate → hand to the
/// `SnapshotInstaller` (compile → swap). Used at start and on every SIGHUP.
///
/// Runs on the thread that calls `load` (main at start, the signal thread on SIGHUP), never on a
/// proxy worker. A file over `maximumBytes` is refused rather than read whole.
public struct SnapshotFileSource: Sendable {
    /// The file, made absolute against the working directory at creation.
    public let path: String
    public let maximumBytes: Int

    public init(path: String, maximumBytes: Int = 64 << 20) {
        let url = path.hasPrefix("/")
            ? URL(fileURLWithPath: path)
            : URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(path)
        self.path = url.standardizedFileURL.path
        self.maximumBytes = maximumBytes
    }

    /// How `/status` names this source: `file:/abs/path`.
    public var sourceName: String { "file:" + path }

    /// Reads, decodes and validates the file and installs it. Returns the snapshot now in
    /// service; on any failure records it in the status (the previous config keeps serving) and
    /// throws it.
    @discardableResult
    public func load(into installer: SnapshotInstaller) throws(ConfigLoadFailure) -> Snapshot {
        let now = MonotonicClock.wallSeconds()
        let snapshot: Snapshot
        do {
            snapshot = try SnapshotDecoder.decodeAndValidate(try readFile(at: now))
        } catch let error as ConfigError {
            throw installer.refuse(ConfigLoadFailure(at: now, message: SnapshotInstaller.summary(error.problems), problems: error.problems))
        } catch let failure as ConfigLoadFailure {
            throw installer.refuse(failure)
        } catch {
            throw installer.refuse(ConfigLoadFailure(at: now, message: "\(error)"))
        }
        try installer.install(snapshot, at: now)
        return snapshot
    }

    /// The file's bytes, or a failure naming the file and the reason.
    func readFile(at now: Int) throws(ConfigLoadFailure) -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file"
            throw ConfigLoadFailure(at: now, message: "cannot read \(path): \(reason)")
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: maximumBytes + 1) ?? Data()
        } catch {
            throw ConfigLoadFailure(at: now, message: "cannot read \(path): \(error.localizedDescription)")
        }
        guard data.count <= maximumBytes else {
            throw ConfigLoadFailure(at: now, message: "cannot read \(path): larger than \(maximumBytes) bytes")
        }
        return [UInt8](data)
    }
}
