import Glibc

/// The `process_*` facts Prometheus clients export, read from `/proc` at scrape time (Linux only).
/// Each read is a few system calls: never on the request path.
public enum ProcessMetrics {
    /// Resident set size in bytes (`/proc/self/statm`, second field × page size); nil if unreadable.
    public static func residentMemoryBytes() -> Int? {
        guard let text = readSmallFile("/proc/self/statm") else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// Open file descriptors: entries of `/proc/self/fd`, minus the one the listing itself uses.
    public static func openFileDescriptors() -> Int? {
        guard let directory = opendir("/proc/self/fd") else { return nil }
        defer { closedir(directory) }
        var count = 0
        while let entry = readdir(directory) {
            let isDot = withUnsafeBytes(of: entry.pointee.d_name) { name in name[0] == 0x2E }
            if !isDot { count += 1 }
        }
        return max(0, count - 1)
    }

    /// The process's start, in seconds since the Unix epoch: boot time (`btime` of `/proc/stat`)
    /// plus the start tick (field 22 of `/proc/self/stat`) over the clock tick rate.
    public static func startTimeSeconds() -> Double? {
        guard let stat = readSmallFile("/proc/self/stat"), let close = stat.lastIndex(of: ")") else { return nil }
        // Fields after the command name start at field 3 (state); starttime is field 22.
        let rest = stat[stat.index(after: close)...].split(separator: " ")
        guard rest.count > 19, let ticks = Double(rest[19]) else { return nil }
        guard let system = readSmallFile("/proc/stat"),
              let line = system.split(separator: "\n").first(where: { $0.hasPrefix("btime ") }),
              let boot = Double(line.dropFirst(6)) else { return nil }
        return boot + ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// A `/proc` file's text (up to 256 KiB).
    static func readSmallFile(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { _ = Glibc.close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < 262_144 {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
