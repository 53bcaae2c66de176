/// `sluicectl audit [--limit N] [--offset N]`: who changed what, newest first. One page only (the
/// log only grows), 50 entries unless `--limit` says otherwise (1...1000).
struct AuditCommands {
    var context: CommandContext

    func list(_ arguments: inout ArgumentList) throws(SluicectlError) {
        let limit = try arguments.integer("--limit") ?? 50
        let offset = try arguments.integer("--offset") ?? 0
        try arguments.finish()
        guard (1...1000).contains(limit), offset >= 0 else { throw .usage("--limit must be 1...1000 and --offset at least 0") }
        let (page, _) = try context.client().json(.GET, "/v1/audit?limit=\(limit)&offset=\(offset)")
        if context.json { return context.printJSON(page) }
        var table = TextTable("ID", "AT", "ACTOR", "ACTION", "KIND", "ENTITY", "DETAIL")
        for item in page["items"]?.elements ?? [] {
            table.append([item.cell("id"), item.cell("at"), item.cell("actor"), item.cell("action"),
                          item.cell("entity_kind"), item.cell("entity_id"), item.cell("detail")])
        }
        Terminal.out(table.text)
    }
}
