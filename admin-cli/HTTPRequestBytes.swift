/// Serialises one admin API request (HTTP/1.1, `Connection: close`, optional JSON body).
struct HTTPRequestBytes {
    var method: String
    /// Path and query, already percent-encoded.
    var target: String
    var authority: String
    var token: String?
    var headers: [(name: String, value: String)] = []
    var body: [UInt8]?

    var bytes: [UInt8] {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: \(authority)\r\nUser-Agent: sluicectl\r\n"
        head += "Accept: application/json\r\nConnection: close\r\n"
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        for header in headers { head += "\(header.name): \(header.value)\r\n" }
        if let body {
            head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n"
        } else if method == "POST" || method == "PUT" {
            head += "Content-Length: 0\r\n"
        }
        head += "\r\n"
        return Array(head.utf8) + (body ?? [])
    }
}
