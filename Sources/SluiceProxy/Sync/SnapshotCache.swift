import Foundation
import SluiceConfig
import SluiceHTTP

/// The last-known-good snapshots in `--cache-dir`: `snapshot-current.json` (the last applied
/// one) and `snapshot-previous.json` (the one before), so a corrupt newest file falls back to
/// N-1.
///
/// `store` writes atomically: a temp file in the same directory, fsync, then renames
/// (current → previous, temp → current). A crash in between leaves at least one of the two
/// complete. Used by one thread at a time (start-up, then the sync thread).
public struct SnapshotCache: Sendable {
    public let directory: String

    public init(directory: String) {
        let url = directory.hasPrefix("/")
            ? URL(fileURLWithPath: directory)
            : URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(directory)
        self.directory = url.standardizedFileURL.path
    }

    public var currentPath: String { directory + "/snapshot-current.json" }
    public var previousPath: String { directory + "/snapshot-previous.json" }

    /// Why the cache could not be written (the data plane keeps serving; logged).
    public struct WriteError: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "cannot write \(path): \(reason)" }
    }

    /// Writes `bytes` (a snapshot that was just applied) as the new current file.
    public func store(_ bytes: [UInt8]) throws(WriteError) {
        let manager = FileManager.default
        let temporary = directory + "/.snapshot-\(ProcessInfo.processInfo.processIdentifier)-\(MonotonicClock.nanoseconds()).tmp"
        do {
            try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
            guard manager.createFile(atPath: temporary, contents: nil) else {
                throw WriteError(path: temporary, reason: "cannot create the file")
            }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
            do {
                try handle.write(contentsOf: Data(bytes))
                try handle.synchronize()
                try handle.close()
            } catch {
                try? handle.close()
                throw error
            }
            if manager.fileExists(atPath: currentPath) {
                if manager.fileExists(atPath: previousPath) { try manager.removeItem(atPath: previousPath) }
                try manager.moveItem(atPath: currentPath, toPath: previousPath)
            }
            try manager.moveItem(atPath: temporary, toPath: currentPath)
        } catch let error as WriteError {
            try? manager.removeItem(atPath: temporary)
            throw error
        } catch {
            try? manager.removeItem(atPath: temporary)
            throw WriteError(path: currentPath, reason: error.localizedDescription)
        }
    }

    /// Installs the newest valid cached snapshot (current, else previous). Returns the file it
    /// came from and the snapshot with its bytes, or nil (with every refusal recorded) when
    /// neither is usable.
    public func loadNewest(into installer: SnapshotInstaller) -> (path: String, snapshot: Snapshot, bytes: [UInt8])? {
        for path in [currentPath, previousPath] where FileManager.default.fileExists(atPath: path) {
            let source = SnapshotFileSource(path: path)
            let now = MonotonicClock.wallSeconds()
            guard let bytes = try? source.readFile(at: now) else { continue }
            do {
                let snapshot = try source.load(into: installer)
                return (path, snapshot, bytes)
            } catch {
                ProxyLog.warning("cache_refused", "cached snapshot \(path) refused: \(error.lines.joined(separator: "; "))",
                                 ["path": .string(path)])
            }
        }
        return nil
    }
}
