import Glibc

/// Counts this process's open file descriptors (entries of /proc/self/fd), to catch leaks.
public enum FileDescriptorCounter {
    public static func openCount() -> Int {
        guard let directory = opendir("/proc/self/fd") else { return -1 }
        defer { closedir(directory) }
        var count = 0
        while readdir(directory) != nil { count += 1 }
        return count - 3 // ".", ".." and the directory stream itself
    }
}
