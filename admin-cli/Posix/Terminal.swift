import Glibc

/// Where sluicectl writes: results to stdout (fd 1), errors to stderr (fd 2), unbuffered with
/// write(2) so nothing is lost at exit. One process, one thread.
///
/// C-facing: write(2) from a buffer that lives only inside `withUnsafeBytes`, bounded by its count.
enum Terminal {
    static func out(_ text: String) {
        write(1, text.hasSuffix("\n") ? text : text + "\n")
    }

    static func out(bytes: [UInt8]) {
        out(String(decoding: bytes, as: UTF8.self))
    }

    static func error(_ text: String) {
        write(2, text.hasSuffix("\n") ? text : text + "\n")
    }

    /// Writes all of `text`, retrying after EINTR and short writes; gives up silently on other
    /// errors (a closed pipe: nobody is reading).
    private static func write(_ descriptor: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return Glibc.write(descriptor, base + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            if written == 0 { return }
            offset += written
        }
    }
}
