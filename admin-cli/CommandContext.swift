import SluiceConfig

/// What every command gets: the global options and a way to reach the server. The client is made
/// on first use, so `--help` and usage errors never need a valid server URL.
struct CommandContext {
    var serverURL: String
    var token: String?
    /// `--json`: print the server's JSON (pretty) instead of tables.
    var json: Bool

    func client() throws(SluicectlError) -> AdminClient {
        try AdminClient(server: ServerAddress(parsing: serverURL), token: token)
    }

    /// Prints a JSON value pretty.
    func printJSON(_ value: JSONValue) {
        Terminal.out(bytes: JSONWriter.pretty(value))
    }

    /// Every item of a paginated list (`{"items", "total", "limit", "offset"}`), following pages.
    /// Also returns the first page's JSON when it held everything (what `--json` prints).
    func listAll(_ client: AdminClient, _ path: String) throws(SluicectlError) -> (items: [JSONValue], json: JSONValue) {
        var items: [JSONValue] = []
        var firstPage: JSONValue?
        while true {
            let separator = path.contains("?") ? "&" : "?"
            let (page, _) = try client.json(.GET, "\(path)\(separator)limit=1000&offset=\(items.count)")
            if firstPage == nil { firstPage = page }
            let pageItems = page["items"]?.elements ?? []
            items += pageItems
            guard case .integer(let total)? = page["total"], items.count < total, !pageItems.isEmpty else { break }
        }
        if items.count == firstPage?["items"]?.elements.count, let firstPage { return (items, firstPage) }
        return (items, .object([.init("items", .array(items)), .init("total", .integer(Int64(items.count))),
                                .init("limit", .integer(Int64(items.count))), .init("offset", .integer(0))]))
    }
}
