import SluiceHTTP

/// Where sluicectl writes: results to stdout (fd 1), errors to stderr (fd 2), unbuffered with
/// write(2) (`DescriptorWriter`) so nothing is lost at exit. One process, one thread.
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
        DescriptorWriter.writeAll(descriptor, Array(text.utf8))
    }
}
