import Glibc
import SluiceConfig

/// Reads `--file` input: a path, or `-` for stdin. Bounded (16 MiB): an object bigger than that
/// is not a configuration entity.
///
/// C-facing: open(2)/read(2) into a buffer that lives only inside `withUnsafeMutableBytes`; the
/// descriptor it opens is closed on every path (stdin is never closed).
enum InputFile {
    static let maximumBytes = 16 * 1024 * 1024

    static func read(_ path: String) throws(SluicectlError) -> [UInt8] {
        let ownsDescriptor = path != "-"
        let descriptor = ownsDescriptor ? open(path, O_RDONLY | O_CLOEXEC) : 0
        guard descriptor >= 0 else {
            throw .usage("cannot read \(path): \(String(cString: strerror(errno)))")
        }
        defer { if ownsDescriptor { close(descriptor) } }
        var contents: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .usage("cannot read \(path): \(String(cString: strerror(errno)))")
            }
            if count == 0 { return contents }
            contents.append(contentsOf: chunk[0..<count])
            guard contents.count <= maximumBytes else { throw .usage("\(path) is larger than 16 MiB") }
        }
    }

    /// The file parsed as one JSON object.
    static func object(_ path: String) throws(SluicectlError) -> JSONValue {
        let bytes = try read(path)
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw .usage("\(path == "-" ? "stdin" : path) is not valid JSON: \(error.description)")
        }
        guard case .object = value else { throw .usage("\(path == "-" ? "stdin" : path) must hold a JSON object") }
        return value
    }
}
