import SluiceConfig

/// One complete response from the admin API: status, header fields (names as sent) and body.
struct HTTPReply {
    var status: Int
    var fields: [(name: String, value: String)]
    var body: [UInt8]

    /// The first field named `name` (case-insensitive), if any.
    func field(_ name: String) -> String? {
        let lowered = name.lowercased()
        return fields.first { $0.name.lowercased() == lowered }?.value
    }

    /// The body as JSON, or nil when it is empty or not JSON.
    var json: JSONValue? {
        guard !body.isEmpty else { return nil }
        return try? JSONParser.parse(body)
    }
}
