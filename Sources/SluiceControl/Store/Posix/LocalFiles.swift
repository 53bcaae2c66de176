import Glibc

/// The few file-system calls the store needs (reading migration files, checking the database's
/// directory), kept here so the rest of the store stays free of C calls and raw pointers.
/// Stateless; safe from any thread.
enum LocalFiles {
    /// The whole file, or nil when it cannot be opened or read.
    static func read(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            // fread writes at most chunk.count bytes into the chunk's own storage.
            let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            bytes += chunk[0..<count]
            if count < chunk.count { return ferror(file) == 0 ? bytes : nil }
        }
    }

    /// The names of the entries in `directory` (without `.` and `..`), or the `strerror` text.
    static func names(in directory: String) -> Result<[String], DirectoryError> {
        guard let dir = opendir(directory) else { return .failure(DirectoryError(message: String(cString: strerror(errno)))) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            // d_name is a fixed-size, NUL-terminated char array inside the dirent readdir returned,
            // valid until the next readdir; the name is copied out before that.
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return .success(names)
    }

    /// Why `directory` cannot hold a new database file, or nil when it can.
    static func problemCreatingFile(in directory: String) -> String? {
        var info = stat()
        guard stat(directory, &info) == 0 else { return "directory \(directory) does not exist" }
        guard info.st_mode & S_IFMT == S_IFDIR else { return "\(directory) is not a directory" }
        guard access(directory, W_OK) == 0 else { return "directory \(directory) is not writable" }
        return nil
    }

    /// A failed directory listing.
    struct DirectoryError: Error {
        var message: String
    }
}
