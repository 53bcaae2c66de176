import SluiceHTTP

/// The `sluice-control` command line (stable: users and tests rely on it).
///
/// ```
/// sluice-control --db PATH [--listen HOST:PORT] [--admin-token-file F] [--dataplane-token-file F]
/// sluice-control --demo [--db PATH] [--proxy-listen HOST:PORT] [--proxy-admin-listen HOST:PORT|off] ...
/// ```
///
/// Every flag also takes the `--flag=value` form. Parsing is pure (no I/O, no environment):
/// `parse` returns the settings, `.help`, or a typed error reported with exit status 2. The
/// token files and the `SLUICE_ADMIN_TOKEN`/`SLUICE_DATAPLANE_TOKEN` variables are read by
/// `ControlTokens` at start.
public struct ControlCommandLine: Sendable, Equatable {
    public var databasePath: String
    /// Default `127.0.0.1:9901`: the admin API stays on loopback unless asked.
    public var listenAddress: SocketAddress
    public var adminTokenFile: String?
    public var dataplaneTokenFile: String?
    /// Event loops serving the API (`--workers`, default 2).
    public var workers: Int
    /// `--demo`: also run an embedded data plane and a demo upstream; nil without `--demo`.
    public var demo: DemoCommandLine?

    public static let defaultListenAddress = SocketAddress.loopbackIPv4(port: 9901)

    public init(databasePath: String, listenAddress: SocketAddress = ControlCommandLine.defaultListenAddress,
                adminTokenFile: String? = nil, dataplaneTokenFile: String? = nil, workers: Int = 2) {
        self.databasePath = databasePath
        self.listenAddress = listenAddress
        self.adminTokenFile = adminTokenFile
        self.dataplaneTokenFile = dataplaneTokenFile
        self.workers = workers
    }

    public enum Request: Sendable, Equatable {
        case run(ControlCommandLine)
        case help
    }

    enum Flag: String, CaseIterable {
        case db = "--db"
        case listen = "--listen"
        case adminTokenFile = "--admin-token-file"
        case dataplaneTokenFile = "--dataplane-token-file"
        case workers = "--workers"
        case proxyListen = "--proxy-listen"
        case proxyAdminListen = "--proxy-admin-listen"
        case demoUpstreamListen = "--demo-upstream-listen"
    }

    /// The one flag without a value.
    static let demoFlag = "--demo"

    /// Parses the arguments after the program name; `--help`/`-h` anywhere wins.
    public static func parse(_ arguments: [String]) throws(ControlCommandLineError) -> Request {
        if ProgramMain.asksForHelp(arguments) { return .help }
        let flags = try FlagArguments<Flag>(arguments, switchFlags: [demoFlag])
        let values = flags.values
        let isDemo = flags.switches.contains(demoFlag)
        guard let databasePath = values[.db] ?? (isDemo ? DemoCommandLine.defaultDatabasePath : nil) else {
            throw .missingFlag(Flag.db.rawValue)
        }
        var commandLine = ControlCommandLine(databasePath: databasePath)
        if isDemo {
            commandLine.demo = try demoSettings(from: values)
        } else if let flag = [Flag.proxyListen, .proxyAdminListen, .demoUpstreamListen].first(where: { values[$0] != nil }) {
            throw .invalidValue(flag: flag.rawValue, value: values[flag] ?? "", reason: "only with --demo")
        }
        if let text = values[.listen] {
            do {
                commandLine.listenAddress = try SocketAddress(parsing: text)
            } catch {
                throw .invalidValue(flag: Flag.listen.rawValue, value: text,
                                    reason: "expected a numeric HOST:PORT such as 127.0.0.1:9901 or [::1]:0")
            }
        }
        commandLine.adminTokenFile = values[.adminTokenFile]
        commandLine.dataplaneTokenFile = values[.dataplaneTokenFile]
        if let text = values[.workers] {
            guard let workers = Int(text), workers > 0, workers <= 64 else {
                throw .invalidValue(flag: Flag.workers.rawValue, value: text, reason: "expected a whole number from 1 to 64")
            }
            commandLine.workers = workers
        }
        return .run(commandLine)
    }

    private static func demoSettings(from values: [Flag: String]) throws(ControlCommandLineError) -> DemoCommandLine {
        var demo = DemoCommandLine()
        if let text = values[.proxyListen] {
            demo.proxyListenAddress = try address(text, flag: .proxyListen)
        }
        if let text = values[.proxyAdminListen] {
            demo.proxyAdminAddress = text == "off" ? nil : try address(text, flag: .proxyAdminListen)
        }
        if let text = values[.demoUpstreamListen] {
            demo.upstreamAddress = try address(text, flag: .demoUpstreamListen)
            demo.upstreamMayMove = false
        }
        return demo
    }

    private static func address(_ text: String, flag: Flag) throws(ControlCommandLineError) -> SocketAddress {
        do {
            return try SocketAddress(parsing: text)
        } catch {
            throw .invalidValue(flag: flag.rawValue, value: text,
                                reason: "expected a numeric HOST:PORT such as 127.0.0.1:8080 or [::1]:0")
        }
    }

    public static let usage = """
        Usage: sluice-control --db PATH [--listen HOST:PORT] [--admin-token-file FILE]
                              [--dataplane-token-file FILE] [--workers N]
               sluice-control --demo [--db PATH] [--listen HOST:PORT] [--proxy-listen HOST:PORT]
                              [--proxy-admin-listen HOST:PORT|off] [--demo-upstream-listen HOST:PORT]
                              [other flags as above]

        The Sluice control plane: a SQLite-backed configuration store with a REST admin API
        (GET /v1/openapi.json describes it) and the data-plane snapshot endpoints.

        Flags (each also accepted as --flag=value):
          --db PATH                    SQLite database file (required without --demo); created with
                                       its schema if missing. Its directory must exist and be
                                       writable (with --demo it is created; default ./data/sluice.db).
          --listen HOST:PORT           API listener, numeric address. Default 127.0.0.1:9901.
                                       Port 0 picks a free port.
          --admin-token-file FILE      File holding the admin token (first line, trimmed).
                                       Default: $SLUICE_ADMIN_TOKEN.
          --dataplane-token-file FILE  File holding the data-plane token (first line, trimmed).
                                       Default: $SLUICE_DATAPLANE_TOKEN. Without one, the data-plane
                                       endpoints refuse every request (401).
          --workers N                  Event loops serving the API. Default 2.
          --demo                       The whole gateway in one process, for a laptop: this control
                                       plane, an embedded data plane (the sluice-proxy code, following
                                       this control plane by the real long-poll over loopback HTTP,
                                       with a data-plane token made for the session if none is
                                       configured) and a demo upstream on 127.0.0.1:9001 (a free port
                                       if 9001 is taken) that echoes each request as JSON. --db
                                       defaults to ./data/sluice.db (./data/ is created). A fresh
                                       database gets upstream "demo" and route "demo" (path_prefix
                                       "/"), published as version 1 ("demo"); an existing one is kept
                                       (only the demo upstream's target follows its port).
          --proxy-listen HOST:PORT     With --demo: the proxy listener. Default 127.0.0.1:8080.
          --proxy-admin-listen ADDR    With --demo: the proxy's /health, /ready, /status, /metrics listener,
                                       HOST:PORT or off. Default 127.0.0.1:8081.
          --demo-upstream-listen ADDR  With --demo: the demo upstream's listener. Default
                                       127.0.0.1:9001, or a free port if that is taken; a given
                                       address that is taken is a startup failure.
          --help, -h                   Print this text and exit 0.

        First start: with no admin token configured and none stored in the database, a token is
        generated, printed once to stdout as
          admin token: <token>
        and only its hash is stored. Keep it: it is never shown again.

        Once listening, prints one line to stdout, e.g.
          listening admin=127.0.0.1:9901
        With --demo the line names every listener, followed by how to try it:
          listening admin=127.0.0.1:9901 proxy=127.0.0.1:8080 proxy_admin=127.0.0.1:8081 demo_upstream=127.0.0.1:9001

        Signals: SIGTERM or SIGINT drain in-flight requests and exit 0.
        Exit status: 0 after a signalled shutdown or --help, 1 on a startup failure (database
        directory missing or unwritable, corrupt database, changed migration, unreadable token
        file, listener), 2 on a command line error.
        """
}
