import SluiceConfig
import SluiceHTTP

/// `sluicectl <collection> list|get|create|update|delete` for the six entity collections, plus
/// the consumer-only `keys`, `add-key` and `delete-key`.
struct EntityCommands {
    var collection: EntityCollection
    var context: CommandContext

    func run(_ arguments: inout ArgumentList) throws(SluicectlError) {
        guard let action = try arguments.positional() else {
            throw .usage("\(collection.command) needs a command: list, get, create, update or delete")
        }
        switch action {
        case "list": try list(&arguments)
        case "get": try get(&arguments)
        case "create": try create(&arguments)
        case "update": try update(&arguments)
        case "delete": try delete(&arguments)
        case "keys" where collection.command == "consumers": try listKeys(&arguments)
        case "add-key" where collection.command == "consumers": try addKey(&arguments)
        case "delete-key" where collection.command == "consumers": try deleteKey(&arguments)
        default: throw .usage("unknown command \"\(collection.command) \(action)\"")
        }
    }

    private func list(_ arguments: inout ArgumentList) throws(SluicectlError) {
        try arguments.finish()
        let client = try context.client()
        let (items, json) = try context.listAll(client, collection.path)
        if context.json { return context.printJSON(json) }
        var table = TextTable(collection.columns)
        for item in items { table.append(collection.row(item)) }
        Terminal.out(table.text)
    }

    private func get(_ arguments: inout ArgumentList) throws(SluicectlError) {
        let identity = try arguments.required("\(collection.singular) \(collection.identityKey)")
        try arguments.finish()
        let (value, _) = try context.client().json(.GET, collection.path(of: identity))
        context.printJSON(value)
    }

    /// The object from `--file`/stdin, with the field flags applied over it; nil if neither was given.
    private func objectFromArguments(_ arguments: inout ArgumentList) throws(SluicectlError) -> (file: JSONValue?, fields: [JSONValue.Member]) {
        let file = try arguments.value("--file", "-f")
        let fields = try collection.fields(&arguments)
        return (try file.map(InputFile.object), fields)
    }

    private func create(_ arguments: inout ArgumentList) throws(SluicectlError) {
        var (file, fields) = try objectFromArguments(&arguments)
        // `create -` (or `create FILE`) is short for `create --file ...`.
        if file == nil, let path = try arguments.positional() { file = try InputFile.object(path) }
        try arguments.finish()
        guard file != nil || !fields.isEmpty else {
            throw .usage("\(collection.command) create needs --file FILE (- for stdin) or field flags")
        }
        let object = (file ?? .object([])).merging(fields)
        let (created, _) = try context.client().json(.POST, collection.path, body: object)
        if context.json { return context.printJSON(created) }
        Terminal.out("created \(collection.singular) \"\(created.cell(collection.identityKey))\"")
    }

    private func update(_ arguments: inout ArgumentList) throws(SluicectlError) {
        let force = arguments.flag("--force")
        let (file, fields) = try objectFromArguments(&arguments)
        let identity = try arguments.required("\(collection.singular) \(collection.identityKey)")
        try arguments.finish()
        guard file != nil || !fields.isEmpty else {
            throw .usage("\(collection.command) update needs --file FILE (- for stdin) or field flags")
        }
        let client = try context.client()
        var base = file
        var headers: [(name: String, value: String)] = []
        if base == nil || !force {
            // The current object (for the flags to apply to) and its ETag (for If-Match).
            let (current, reply) = try client.json(.GET, collection.path(of: identity))
            if base == nil { base = current }
            if !force, let tag = reply.field("ETag") { headers.append(("If-Match", tag)) }
        }
        var object = (base ?? .object([])).merging(fields)
        if object[collection.identityKey] == nil { object = object.merging([.init(collection.identityKey, .string(identity))]) }
        let reply = try client.send(.PUT, collection.path(of: identity), body: object, headers: headers)
        guard (200..<300).contains(reply.status) else {
            var error = AdminClient.failure(reply)
            if reply.status == 412 { error.message += " (\(collection.singular) \"\(identity)\" changed since it was read; retry, or use --force)" }
            throw error
        }
        if context.json, let value = reply.json { return context.printJSON(value) }
        Terminal.out("updated \(collection.singular) \"\(identity)\"")
    }

    private func delete(_ arguments: inout ArgumentList) throws(SluicectlError) {
        let identity = try arguments.required("\(collection.singular) \(collection.identityKey)")
        try arguments.finish()
        _ = try context.client().call(.DELETE, collection.path(of: identity))
        if !context.json { Terminal.out("deleted \(collection.singular) \"\(identity)\"") }
    }

    private func listKeys(_ arguments: inout ArgumentList) throws(SluicectlError) {
        let identity = try arguments.required("consumer id")
        try arguments.finish()
        let client = try context.client()
        let (items, json) = try context.listAll(client, "\(collection.path(of: identity))/api-keys")
        if context.json { return context.printJSON(json) }
        var table = TextTable("KEY_ID", "PREFIX", "CREATED")
        for item in items { table.append([item.cell("key_id"), item.cell("prefix"), item.cell("created_at")]) }
        Terminal.out(table.text)
    }

    private func addKey(_ arguments: inout ArgumentList) throws(SluicectlError) {
        let identity = try arguments.required("consumer id")
        try arguments.finish()
        let (created, _) = try context.client().json(.POST, "\(collection.path(of: identity))/api-keys")
        if context.json { return context.printJSON(created) }
        Terminal.out("""
            consumer: \(created.cell("consumer"))
            key_id:   \(created.cell("key_id"))
            key:      \(created.cell("key"))
            This key is shown once and won't be shown again: store it now.
            """)
    }

    private func deleteKey(_ arguments: inout ArgumentList) throws(SluicectlError) {
        let identity = try arguments.required("consumer id")
        let keyID = try arguments.required("key id")
        try arguments.finish()
        _ = try context.client().call(.DELETE, "\(collection.path(of: identity))/api-keys/\(PathSegment.encode(keyID))")
        if !context.json { Terminal.out("deleted key \"\(keyID)\" of consumer \"\(identity)\"") }
    }
}
