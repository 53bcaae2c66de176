/// `--help` at every level: the whole tool, or one command group.
enum HelpText {
    static func text(for command: String?) -> String {
        if let command, let collection = EntityCollection.named(command) { return entities(collection) }
        switch command {
        case "versions", "publish", "rollback", "validate": return versions
        case "dataplanes", "audit": return dataplanes
        default: return overview
        }
    }

    static let overview = """
        sluicectl: manage a Sluice control plane through its admin API.

        Usage: sluicectl [--server URL] [--token TOKEN] [--json] COMMAND ...

        Global options (anywhere on the line):
          --server URL   the admin API (env SLUICE_SERVER, default \(ServerAddress.defaultURL)); http:// only
          --token TOKEN  the admin token (env SLUICE_ADMIN_TOKEN)
          --json         print the server's JSON (pretty) instead of tables
          --help, -h     this text; `sluicectl COMMAND --help` for one command

        Commands:
          upstreams|routes|tiers|orgs|consumers|jwt-keys list
          upstreams|routes|tiers|orgs|consumers|jwt-keys get ID
          upstreams|routes|tiers|orgs|consumers|jwt-keys create (--file FILE | field flags)
          upstreams|routes|tiers|orgs|consumers|jwt-keys update ID (--file FILE | field flags) [--force]
          upstreams|routes|tiers|orgs|consumers|jwt-keys delete ID
          consumers keys ID                    list a consumer's API keys (ids and prefixes, never the keys)
          consumers add-key ID                 create an API key (printed once)
          consumers delete-key ID KEY_ID
          validate                             check the working configuration
          publish [-m COMMENT]                 publish the working configuration as a new version
          versions list | show N | diff N [--against M]
          rollback N                           publish version N's snapshot as a new version (the working
                                               configuration becomes N's too; API keys stay as today)
          dataplanes                           data-plane nodes and the versions they run
          audit [--limit N] [--offset N]       who changed what, newest first (default 50 entries)

        Exit status:
          0  success
          1  the server refused the request (4xx: validation, conflict, not found, precondition failed)
          2  usage error (bad command line, unreadable --file)
          3  cannot reach the server, server error (5xx) or a response that is not valid
          4  authentication failed (401 or 403: missing or wrong token)

        Errors go to stderr as `error: STATUS MESSAGE`, then one `  /pointer: message` line per problem.
        """

    static func entities(_ collection: EntityCollection) -> String {
        let add = collection.command == "consumers" ? """

              sluicectl consumers keys ID               the consumer's keys: KEY_ID, PREFIX, CREATED
              sluicectl consumers add-key ID            a new API key, printed once (only its hash is kept)
              sluicectl consumers delete-key ID KEY_ID

            """ : "\n"
        return """
            Usage:
              sluicectl \(collection.command) list
              sluicectl \(collection.command) get \(collection.identityKey.uppercased())
              sluicectl \(collection.command) create (--file FILE | - | FLAGS)
              sluicectl \(collection.command) update \(collection.identityKey.uppercased()) (--file FILE | FLAGS) [--force]
              sluicectl \(collection.command) delete \(collection.identityKey.uppercased())
            \(add)
            --file FILE (-f) reads the JSON object from FILE, or stdin with `-`; flags override its fields.
            update without --file changes only the flagged fields of the current object. It sends
            If-Match with the ETag it read, so a concurrent change fails (exit 1) instead of being
            lost; --force skips that check.

            Flags:
            \(collection.flagHelp)
            """
    }

    static let versions = """
        Usage:
          sluicectl validate                     validate the working configuration (exit 1 with the problems)
          sluicectl publish [-m|--message TEXT]  publish it as the next version (nothing new if unchanged)
          sluicectl versions list                newest first
          sluicectl versions show N              metadata and snapshot
          sluicectl versions diff N [--against M]  what changed from M (default N-1) to N
          sluicectl rollback N                   publish version N's snapshot again as a new version; the
                                                 working configuration becomes N's (entities made since are
                                                 gone, JWT keys deleted since come back); API keys stay as today
        """

    static let dataplanes = """
        Usage:
          sluicectl dataplanes      each node: applied version, whether it is behind or stale, last
                                    time seen and last error
          sluicectl audit [--limit N] [--offset N]
                                    the audit log, newest first (default 50 entries, at most 1000)
        """
}
