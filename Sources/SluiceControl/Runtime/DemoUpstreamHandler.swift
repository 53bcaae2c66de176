import SluiceConfig
import SluiceHTTP

/// The `--demo` upstream: answers every request with a JSON echo of what it received,
/// `{"service":"demo","method":"GET","path":"/hello","query":"","headers":{...}}`, so a user sees
/// what the proxy added (`X-Forwarded-For`, `X-Request-Id`, ...). A repeated header keeps its
/// last value. Not a hot path (a demo): it builds Strings per request.
///
/// Thread affinity: one instance per event loop, called on that loop only.
public final class DemoUpstreamHandler: HTTPServerHandler {
    public init() {}

    public func requestHead(_ head: HTTPRequestHead, bytes: ByteView, connection: HTTPServerConnection) {
        func text(_ range: Range<Int>) -> String {
            String(decoding: UnsafeRawBufferPointer(rebasing: bytes.bytes[range]), as: UTF8.self)
        }
        var headers: [JSONValue.Member] = []
        for field in head.fields {
            let name = text(Int(field.nameStart)..<Int(field.nameEnd))
            let value = JSONValue.string(text(Int(field.valueStart)..<Int(field.valueEnd)))
            if let index = headers.firstIndex(where: { $0.key.lowercased() == name.lowercased() }) {
                headers[index].value = value
            } else {
                headers.append(.init(name, value))
            }
        }
        let query = text(head.queryRange)
        let echo = JSONValue.object([
            .init("service", .string("demo")),
            .init("method", .string(text(head.methodRange))),
            .init("path", .string(text(head.pathRange))),
            .init("query", .string(query.hasPrefix("?") ? String(query.dropFirst()) : query)),
            .init("headers", .object(headers)),
        ])
        connection.sendResponse(status: 200, body: JSONWriter.pretty(echo) + [UInt8(ascii: "\n")]) { fields in
            fields.add("Content-Type", "application/json")
        }
    }
}
