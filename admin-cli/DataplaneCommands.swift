/// `sluicectl dataplanes`: each data-plane node's applied version and health.
struct DataplaneCommands {
    var context: CommandContext

    func list(_ arguments: inout ArgumentList) throws(SluicectlError) {
        _ = try arguments.positional().map { word throws(SluicectlError) in
            guard word == "list" else { throw .usage("unknown command \"dataplanes \(word)\"") }
        }
        try arguments.finish()
        let client = try context.client()
        let (items, json) = try context.listAll(client, "/v1/dataplanes")
        if context.json { return context.printJSON(json) }
        var table = TextTable("NODE", "HOST", "APPLIED", "BEHIND", "STALE", "LAST_SEEN", "LAST_ERROR")
        for item in items {
            table.append([item.cell("node_id"), item.cell("hostname"), item.cell("applied_version"), item.cell("behind"),
                          item.cell("stale"), item.cell("last_seen"), item.cell("last_error")])
        }
        Terminal.out(table.text)
    }
}
