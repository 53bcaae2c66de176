/// The command line: global options, then one command. Returns the exit status; prints results
/// to stdout and errors (`error: ...`) to stderr.
enum Sluicectl {
    static func run(_ words: [String], environment: ProcessEnvironment) -> ExitStatus {
        do {
            try dispatch(words, environment: environment)
            return .ok
        } catch {
            Terminal.error("error: \(error.message)")
            for line in error.details { Terminal.error(line) }
            return error.status
        }
    }

    private static func dispatch(_ words: [String], environment: ProcessEnvironment) throws(SluicectlError) {
        var arguments = ArgumentList(words)
        let help = arguments.flag("--help", "-h")
        let server = try arguments.value("--server")
        let token = try arguments.value("--token")
        let json = arguments.flag("--json")
        let context = CommandContext(serverURL: server ?? environment.server ?? ServerAddress.defaultURL,
                                     token: token ?? environment.token, json: json)
        var command = try arguments.positional()
        if command == "help" {
            command = try arguments.positional()
            return Terminal.out(HelpText.text(for: command))
        }
        if help { return Terminal.out(HelpText.text(for: command)) }
        guard let command else { throw .usage("missing command") }
        if let collection = EntityCollection.named(command) {
            return try EntityCommands(collection: collection, context: context).run(&arguments)
        }
        let versions = VersionCommands(context: context)
        switch command {
        case "validate": try versions.validate(&arguments)
        case "publish": try versions.publish(&arguments)
        case "versions": try versions.versions(&arguments)
        case "rollback": try versions.rollback(&arguments)
        case "dataplanes": try DataplaneCommands(context: context).list(&arguments)
        case "audit": try AuditCommands(context: context).list(&arguments)
        default: throw .usage("unknown command \"\(command)\"")
        }
    }
}
