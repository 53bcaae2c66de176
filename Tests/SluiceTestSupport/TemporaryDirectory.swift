import Glibc

/// A fresh directory under /tmp, removed with its contents by `remove()` (tests call it in `defer`).
public final class TemporaryDirectory {
    public let path: String

    public init(prefix: String = "sluice-test") throws {
        var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
        guard let result = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw TestClientError("mkdtemp: errno \(errno)")
        }
        path = String(cString: result)
    }

    /// `path/name`.
    public func file(_ name: String) -> String { path + "/" + name }

    public func remove() {
        _ = system("rm -rf '\(path)'")
    }
}
