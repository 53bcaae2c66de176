// sluice-hello: the engine's static "hello world" server, for benchmarking against nginx's
// `return 200 "hello world\n"`.
// Usage: sluice-hello --listen 127.0.0.1:PORT [--workers N] [--body TEXT] [--shared-listener]
import Glibc
import SluiceHTTP

/// Answers every request with the same static body; no allocation per request.
final class HelloHandler: HTTPServerHandler {
    let body: [UInt8]

    init(body: [UInt8]) {
        self.body = body
    }

    func requestHead(_ head: HTTPRequestHead, bytes: ByteView, connection: HTTPServerConnection) {
        connection.sendResponse(status: 200, body: body) { fields in
            fields.add("Content-Type", "text/plain")
        }
    }
}

/// Writes a line straight to a descriptor (unbuffered, so the listening line is out at once).
func writeLine(_ text: String, to descriptor: Int32) {
    var line = Array((text + "\n").utf8)
    var offset = 0
    while offset < line.count {
        let written = line.withUnsafeMutableBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
        if written <= 0 { return }
        offset += written
    }
}

func fail(_ message: String) -> Never {
    writeLine("sluice-hello: \(message)", to: 2)
    exit(2)
}

func value(after flag: String, _ iterator: inout IndexingIterator<ArraySlice<String>>) -> String {
    guard let value = iterator.next() else { fail("\(flag) needs a value") }
    return value
}

var listen = "127.0.0.1:8080"
var workers = SystemInfo.onlineCPUCount
var body = "hello world\n"
var sharedListener = false
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--listen": listen = value(after: argument, &arguments)
    case "--workers":
        guard let count = Int(value(after: argument, &arguments)), count > 0 else { fail("--workers needs a positive number") }
        workers = count
    case "--body": body = value(after: argument, &arguments)
    case "--shared-listener": sharedListener = true
    default: fail("unknown argument \(argument)")
    }
}

do {
    // Before any thread exists, so every thread inherits the blocked mask.
    let signals = try TerminationSignals.block()
    let address: SocketAddress
    do { address = try SocketAddress(parsing: listen) } catch { fail("\(error)") }
    var configuration = HTTPServer.Configuration(listenAddress: address)
    configuration.workers = max(1, workers)
    configuration.sharedListener = sharedListener
    let bytes = Array(body.utf8)
    let server = try HTTPServer(configuration: configuration) { _ in HelloHandler(body: bytes) }
    let port = try server.start()
    let host = address.family == .ipv6 ? "[\(address.host)]" : address.host
    writeLine("listening http=\(host):\(port)", to: 1)
    _ = try signals.next()
    server.shutdown(deadline: .seconds(5))
    server.wait()
    exit(0)
} catch {
    fail("\(error)")
}
