import SluiceConfig
import SluiceHTTP

/// `validate`, `publish -m`, `versions list|show|diff`, `rollback N`.
struct VersionCommands {
    var context: CommandContext

    func validate(_ arguments: inout ArgumentList) throws(SluicectlError) {
        try arguments.finish()
        let (value, _) = try context.client().json(.POST, "/v1/config/validate")
        if context.json { return context.printJSON(value) }
        Terminal.out("the working configuration is valid")
    }

    func publish(_ arguments: inout ArgumentList) throws(SluicectlError) {
        let comment = try arguments.value("--message", "-m")
        try arguments.finish()
        let body: JSONValue = .object(comment.map { [.init("comment", .string($0))] } ?? [])
        let (value, reply) = try context.client().json(.POST, "/v1/versions", body: body)
        if context.json { return context.printJSON(value) }
        let sha = String(value.cell("sha256").prefix(12))
        if reply.status == 201 {
            Terminal.out("published version \(value.cell("version")) (sha256 \(sha))")
        } else {
            Terminal.out("nothing changed: version \(value.cell("version")) is already the latest (sha256 \(sha))")
        }
    }

    func versions(_ arguments: inout ArgumentList) throws(SluicectlError) {
        guard let action = try arguments.positional() else { throw .usage("versions needs a command: list, show or diff") }
        switch action {
        case "list": try list(&arguments)
        case "show": try show(&arguments)
        case "diff": try diff(&arguments)
        default: throw .usage("unknown command \"versions \(action)\"")
        }
    }

    func rollback(_ arguments: inout ArgumentList) throws(SluicectlError) {
        let version = try Self.version(arguments.required("version number"))
        try arguments.finish()
        let (value, _) = try context.client().json(.POST, "/v1/versions/\(version)/rollback")
        if context.json { return context.printJSON(value) }
        Terminal.out("rolled back: version \(value.cell("version")) created from version \(value.cell("rolled_back_from"))")
    }

    private func list(_ arguments: inout ArgumentList) throws(SluicectlError) {
        try arguments.finish()
        let client = try context.client()
        let (items, json) = try context.listAll(client, "/v1/versions")
        if context.json { return context.printJSON(json) }
        var table = TextTable("VERSION", "CREATED", "BY", "KIND", "COMMENT", "SHA256")
        for item in items {
            var kind = item.cell("kind")
            if kind == "rollback", !item.cell("rolled_back_from").isEmpty { kind += " of \(item.cell("rolled_back_from"))" }
            table.append([item.cell("version"), item.cell("created_at"), item.cell("created_by"), kind,
                          item.cell("comment"), String(item.cell("sha256").prefix(12))])
        }
        Terminal.out(table.text)
    }

    private func show(_ arguments: inout ArgumentList) throws(SluicectlError) {
        let version = try Self.version(arguments.required("version number"))
        try arguments.finish()
        let (value, _) = try context.client().json(.GET, "/v1/versions/\(version)")
        if context.json { return context.printJSON(value) }
        var lines: [String] = []
        for key in ["version", "created_at", "created_by", "kind", "rolled_back_from", "comment", "sha256"] {
            let cell = value.cell(key)
            if !cell.isEmpty { lines.append("\(key):".padding(18) + cell) }
        }
        Terminal.out(lines.joined(separator: "\n"))
        if let snapshot = value["snapshot"] {
            Terminal.out("snapshot:")
            context.printJSON(snapshot)
        }
    }

    private func diff(_ arguments: inout ArgumentList) throws(SluicectlError) {
        let againstText = try arguments.value("--against")
        let version = try Self.version(arguments.required("version number"))
        try arguments.finish()
        let against = try againstText.map(Self.version) ?? max(version - 1, 0)
        let (value, _) = try context.client().json(.GET, "/v1/versions/\(version)/diff?against=\(against)")
        if context.json { return context.printJSON(value) }
        var lines: [String] = []
        for (key, label) in [("upstreams", "upstream"), ("routes", "route"), ("tiers", "tier"), ("orgs", "org"),
                             ("consumers", "consumer"), ("api_keys", "api-key"), ("jwt_keys", "jwt-key")] {
            guard let entities = value[key] else { continue }
            for name in entities["added"]?.elements ?? [] { lines.append("+ \(label) \(name.cell)") }
            for name in entities["removed"]?.elements ?? [] { lines.append("- \(label) \(name.cell)") }
            for change in entities["changed"]?.elements ?? [] {
                let identity = change["name"] ?? change["id"] ?? change["kid"] ?? .null
                lines.append("~ \(label) \(identity.cell): \(change.cell("fields").split(separator: ",").joined(separator: ", "))")
            }
        }
        Terminal.out("version \(value.cell("to_version")) against version \(value.cell("from_version"))")
        Terminal.out(lines.isEmpty ? "no differences" : lines.joined(separator: "\n"))
    }

    static func version(_ text: String) throws(SluicectlError) -> Int {
        guard let number = Int(text), number >= 0 else { throw .usage("\"\(text)\" is not a version number") }
        return number
    }
}

extension String {
    /// The string padded with spaces to at least `width` characters.
    func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
