import SluiceHTTP

/// One request to the control plane on the sync loop: collects the status and the whole body
/// (up to `maximumBodyBytes`; more cancels the exchange) and calls `completion` exactly once.
///
/// Thread affinity: the sync event loop only.
final class ControlPlaneExchange: UpstreamResponseHandler {
    enum Outcome {
        /// `version`: the `X-Sluice-Version` header as a number, if present.
        case response(status: Int, version: Int?, body: [UInt8])
        case failed(String)
    }

    private let maximumBodyBytes: Int
    private var completion: ((Outcome) -> Void)?
    private var status = 0
    private var version: Int?
    private var body: [UInt8] = []

    init(maximumBodyBytes: Int, completion: @escaping (Outcome) -> Void) {
        self.maximumBodyBytes = maximumBodyBytes
        self.completion = completion
    }

    /// Checks out a connection and sends `request` (head and body, already framed).
    static func send(_ request: [UInt8], to target: UpstreamTarget, pools: UpstreamPools, method: HTTPMethod,
                     maximumBodyBytes: Int, completion: @escaping (Outcome) -> Void) {
        let exchange = ControlPlaneExchange(maximumBodyBytes: maximumBodyBytes, completion: completion)
        do {
            let connection = try pools.checkout(target)
            if !connection.startRequest(head: request, method: method, idempotent: method.isIdempotent, handler: exchange) {
                exchange.finish(.failed("the connection to \(target) could not take the request"))
            }
        } catch {
            exchange.finish(.failed("\(error)"))
        }
    }

    func finish(_ outcome: Outcome) {
        guard let completion else { return }
        self.completion = nil
        completion(outcome)
    }

    func upstreamResponseHead(_ connection: UpstreamConnection, head: HTTPResponseHead, bytes: UnsafeRawBufferPointer) {
        status = head.status
        let name = Array("x-sluice-version".utf8)
        for field in head.fields {
            let nameBytes = bytes[Int(field.nameStart)..<Int(field.nameEnd)]
            guard nameBytes.count == name.count,
                  zip(nameBytes, name).allSatisfy({ $0 | 0x20 == $1 | 0x20 }) else { continue }
            let value = bytes[Int(field.valueStart)..<Int(field.valueEnd)]
            version = Int(String(decoding: value, as: UTF8.self))
        }
    }

    func upstreamResponseBody(_ connection: UpstreamConnection, bytes: UnsafeRawBufferPointer) {
        guard body.count + bytes.count <= maximumBodyBytes else {
            connection.cancel()
            finish(.failed("the response body is larger than \(maximumBodyBytes) bytes"))
            return
        }
        body.append(contentsOf: bytes)
    }

    func upstreamResponseEnd(_ connection: UpstreamConnection, trailers: UnsafeRawBufferPointer?) {
        finish(.response(status: status, version: version, body: body))
    }

    func upstreamFailed(_ connection: UpstreamConnection, error: HTTPClientError) {
        finish(.failed("\(error)"))
    }
}
