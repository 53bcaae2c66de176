import SluiceConfig
import SluiceHTTP

/// The admin API as sluicectl calls it: one request per call, the admin token as a bearer token,
/// and every non-2xx answer turned into a `SluicectlError` with the right exit status.
struct AdminClient {
    var server: ServerAddress
    var token: String?
    var exchange = BlockingHTTPExchange()

    init(server: ServerAddress, token: String?) throws(SluicectlError) {
        self.server = server
        self.token = token
        if let token, token.utf8.contains(where: { $0 < 0x21 || $0 == 0x7F }) {
            throw .usage("the admin token contains spaces or control characters")
        }
    }

    /// Sends one request; any status is returned (no error mapping).
    func send(_ method: HTTPMethod, _ target: String, body: JSONValue? = nil,
              headers: [(name: String, value: String)] = []) throws(SluicectlError) -> HTTPReply {
        let request = HTTPRequestBytes(method: Self.name(of: method), target: target, authority: server.authority, token: token,
                                       headers: headers, body: body.map { JSONWriter.compact($0) })
        return try exchange.perform(request.bytes, method: method, to: server)
    }

    /// Sends one request and fails unless the status is 2xx.
    func call(_ method: HTTPMethod, _ target: String, body: JSONValue? = nil,
              headers: [(name: String, value: String)] = []) throws(SluicectlError) -> HTTPReply {
        let reply = try send(method, target, body: body, headers: headers)
        guard (200..<300).contains(reply.status) else {
            var error = Self.failure(reply)
            if reply.status == 401, token == nil { error.message += " (no token given: use --token or SLUICE_ADMIN_TOKEN)" }
            throw error
        }
        return reply
    }

    /// Sends one request and returns its JSON body (2xx with a JSON body, else an error).
    func json(_ method: HTTPMethod, _ target: String, body: JSONValue? = nil,
              headers: [(name: String, value: String)] = []) throws(SluicectlError) -> (JSONValue, HTTPReply) {
        let reply = try call(method, target, body: body, headers: headers)
        guard let value = reply.json else {
            throw .unavailable("bad response: status \(reply.status) without a JSON body")
        }
        return (value, reply)
    }

    /// The error for a non-2xx reply: `<status> <message>` plus one `  /pointer: message` line per
    /// problem with a pointer. 401/403 → authentication, other 4xx → refused, else unavailable.
    static func failure(_ reply: HTTPReply) -> SluicectlError {
        let status: ExitStatus
        switch reply.status {
        case 401, 403: status = .authentication
        case 400..<500: status = .refused
        default: status = .unavailable
        }
        var messages: [String] = []
        var details: [String] = []
        if case .array(let errors)? = reply.json?["errors"] {
            for error in errors {
                guard case .string(let message)? = error["message"] else { continue }
                if case .string(let pointer)? = error["pointer"], !pointer.isEmpty {
                    details.append("  \(pointer): \(message)")
                } else {
                    messages.append(message)
                }
            }
        }
        if messages.isEmpty { messages.append(reasonPhrase(reply.status)) }
        return SluicectlError(status: status, message: "\(reply.status) \(messages.joined(separator: "; "))", details: details)
    }

    /// The method as written in the request line (sluicectl sends only these).
    static func name(of method: HTTPMethod) -> String {
        switch method {
        case .GET: "GET"
        case .POST: "POST"
        case .PUT: "PUT"
        case .DELETE: "DELETE"
        case .HEAD: "HEAD"
        default: "GET"
        }
    }

    static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 400: "bad request"
        case 401: "unauthorized"
        case 403: "forbidden"
        case 404: "not found"
        case 409: "conflict"
        case 412: "precondition failed"
        case 422: "invalid configuration"
        case 500..<600: "server error"
        default: "unexpected status"
        }
    }
}
