import SluiceHTTP

/// The `sluice-proxy` command line (stable: users and tests rely on it).
///
/// ```
/// sluice-proxy --config FILE --listen HOST:PORT [--workers N] [--admin-listen HOST:PORT]
/// sluice-proxy --control-plane http://HOST:PORT [--dataplane-token-file F] [--node-id ID] [--cache-dir DIR]
///              --listen HOST:PORT [--workers N] [--admin-listen HOST:PORT]
/// either form also: [--access-log off|stdout|PATH] [--access-log-query] [--metrics on|off]
///                   [--trusted-proxies LIST] [--rate-limit-keys N]
/// ```
///
/// Exactly one of `--config` and `--control-plane`.
///
/// Every flag also takes the `--flag=value` form. Addresses are `127.0.0.1:8080`, `[::1]:8080`
/// or a host name (`localhost:8080`, resolved once here, IPv4 preferred); port 0 picks a free
/// port, printed on the listening line. Without `--admin-listen` there is no admin listener and
/// the listening line has no `admin=` pair. Parsing reads no files (a host name is the only
/// lookup): `parse` returns the settings, `.help`, or a typed error that the caller reports on
/// stderr with exit status 2.
public struct ProxyCommandLine: Sendable, Equatable {
    /// The snapshot file (`--config`), as given (relative paths are resolved when it is read);
    /// nil with `--control-plane`.
    public var configPath: String?
    /// `--control-plane` and its companions; nil with `--config`.
    public var controlPlane: ControlPlaneSettings?
    /// The proxy listener (`--listen`).
    public var listenAddress: SocketAddress
    /// Proxy event loops (`--workers`); default: the number of online CPUs.
    public var workers: Int
    /// The admin listener (`--admin-listen`); nil: none.
    public var adminAddress: SocketAddress?
    /// Proxies whose `X-Forwarded-For` names the client for rate limiting (`--trusted-proxies`).
    public var trustedProxies = TrustedProxies()
    /// Rate-limit table slots (`--rate-limit-keys`), allocated at start.
    public var rateLimitKeys = PolicyRuntime.defaultRateLimitKeys
    /// `--access-log`: default off.
    public var accessLog: AccessLogDestination = .off
    /// `--access-log-query`: log the query string with the path (default: the path only).
    public var accessLogQuery = false
    /// `--metrics on|off`: count every request for `GET /metrics` (default on).
    public var metrics = true

    /// Where access log lines go.
    public enum AccessLogDestination: Sendable, Equatable {
        case off
        case standardOutput
        /// Appended to this file (created if absent).
        case file(String)
    }

    public init(configPath: String?, controlPlane: ControlPlaneSettings? = nil, listenAddress: SocketAddress,
                workers: Int = SystemInfo.onlineCPUCount, adminAddress: SocketAddress? = nil) {
        self.configPath = configPath
        self.controlPlane = controlPlane
        self.listenAddress = listenAddress
        self.workers = workers
        self.adminAddress = adminAddress
    }

    /// What the arguments ask for.
    public enum Request: Sendable, Equatable {
        case run(ProxyCommandLine)
        case help
    }

    /// The flags that take a value, in the order `--help` lists them.
    enum Flag: String, CaseIterable {
        case config = "--config"
        case listen = "--listen"
        case workers = "--workers"
        case adminListen = "--admin-listen"
        case controlPlane = "--control-plane"
        case dataplaneTokenFile = "--dataplane-token-file"
        case nodeID = "--node-id"
        case cacheDir = "--cache-dir"
        case trustedProxies = "--trusted-proxies"
        case rateLimitKeys = "--rate-limit-keys"
        case accessLog = "--access-log"
        case metrics = "--metrics"
    }

    /// Flags without a value.
    static let switches: Set<String> = ["--access-log-query"]

    /// Parses the arguments after the program name. `--help` (or `-h`) anywhere wins over
    /// everything else, so `--help` always exits 0.
    public static func parse(_ arguments: [String]) throws(ProxyCommandLineError) -> Request {
        if ProgramMain.asksForHelp(arguments) { return .help }
        let flags = try FlagArguments<Flag>(arguments, switchFlags: switches)
        var commandLine = try settings(from: flags.values)
        commandLine.accessLogQuery = flags.switches.contains("--access-log-query")
        return .run(commandLine)
    }

    private static func settings(from values: [Flag: String]) throws(ProxyCommandLineError) -> ProxyCommandLine {
        let configPath = values[.config]
        var controlPlane: ControlPlaneSettings?
        if let url = values[.controlPlane] {
            guard configPath == nil else {
                throw .conflictingFlags(Flag.config.rawValue, reason: "give either --config or --control-plane, not both")
            }
            guard let endpoint = ControlPlaneSettings.endpoint(url) else {
                throw .invalidValue(flag: Flag.controlPlane.rawValue, value: url, reason: "expected http://HOST:PORT")
            }
            controlPlane = ControlPlaneSettings(url: endpoint.url, host: endpoint.host, port: endpoint.port,
                                                tokenFile: values[.dataplaneTokenFile], nodeID: values[.nodeID],
                                                cacheDirectory: values[.cacheDir])
        } else {
            guard configPath != nil else { throw .missingFlag("--config or --control-plane") }
            for flag in [Flag.dataplaneTokenFile, .nodeID, .cacheDir] where values[flag] != nil {
                throw .conflictingFlags(flag.rawValue, reason: "only with --control-plane")
            }
        }
        guard let listen = values[.listen] else { throw .missingFlag(Flag.listen.rawValue) }
        var commandLine = ProxyCommandLine(configPath: configPath, controlPlane: controlPlane,
                                           listenAddress: try address(listen, flag: .listen))
        if let text = values[.workers] {
            guard let workers = Int(text), workers > 0, workers <= 1024 else {
                throw .invalidValue(flag: Flag.workers.rawValue, value: text, reason: "expected a whole number from 1 to 1024")
            }
            commandLine.workers = workers
        }
        if let text = values[.adminListen] {
            commandLine.adminAddress = try address(text, flag: .adminListen)
        }
        if let text = values[.trustedProxies] {
            do {
                commandLine.trustedProxies = try TrustedProxies(list: text)
            } catch {
                throw .invalidValue(flag: Flag.trustedProxies.rawValue, value: text, reason: error.description)
            }
        }
        if let text = values[.rateLimitKeys] {
            guard let keys = Int(text), keys >= 64, keys <= 1 << 26 else {
                throw .invalidValue(flag: Flag.rateLimitKeys.rawValue, value: text,
                                    reason: "expected a whole number from 64 to 67108864")
            }
            commandLine.rateLimitKeys = keys
        }
        if let text = values[.accessLog] {
            switch text {
            case "off": commandLine.accessLog = .off
            case "stdout", "-": commandLine.accessLog = .standardOutput
            default: commandLine.accessLog = .file(text)
            }
        }
        if let text = values[.metrics] {
            guard text == "on" || text == "off" else {
                throw .invalidValue(flag: Flag.metrics.rawValue, value: text, reason: "expected on or off")
            }
            commandLine.metrics = text == "on"
        }
        return commandLine
    }

    private static func address(_ text: String, flag: Flag) throws(ProxyCommandLineError) -> SocketAddress {
        do {
            return try SocketAddress.listenAddress(text)
        } catch {
            throw .invalidValue(flag: flag.rawValue, value: text,
                                reason: "expected HOST:PORT such as 127.0.0.1:8080, [::1]:0 or localhost:8080")
        }
    }

    /// The `--help` text: every flag, its default, and what the process prints and does.
    public static let usage = """
        Usage: sluice-proxy --config FILE --listen HOST:PORT [--workers N] [--admin-listen HOST:PORT]
               sluice-proxy --control-plane http://HOST:PORT [--dataplane-token-file FILE] [--node-id ID]
                            [--cache-dir DIR] --listen HOST:PORT [--workers N] [--admin-listen HOST:PORT]
               either form also: [--access-log off|stdout|PATH] [--access-log-query] [--metrics on|off]
                                 [--trusted-proxies LIST] [--rate-limit-keys N]

        The Sluice data plane: a reverse proxy configured by a snapshot JSON file, or following the
        versions published by a control plane (sluice-control). Exactly one of --config and
        --control-plane.

        Flags (each also accepted as --flag=value):
          --config FILE              Snapshot JSON file to serve. Read at start (an invalid
                                     file: every problem on stderr, exit 1) and again on SIGHUP (an
                                     invalid file is refused and the current config keeps serving).
          --control-plane URL        Follow a control plane (http://HOST:PORT): a sync thread long-polls
                                     GET /v1/dataplane/snapshot, applies each new version (a version that
                                     cannot run is refused and reported; the current one keeps serving)
                                     and reports POST /v1/dataplane/status. Unreachable: retries with
                                     capped exponential backoff (100 ms to 10 s, jittered).
          --dataplane-token-file F   File holding the data-plane bearer token (surrounding whitespace
                                     ignored). Default: the SLUICE_DATAPLANE_TOKEN environment variable.
          --node-id ID               This data plane's id at the control plane. Default: the host name
                                     (stable across restarts; give each data plane on one host its own).
          --cache-dir DIR            Last-known-good cache: every applied snapshot is written atomically
                                     to DIR/snapshot-current.json (the one before: snapshot-previous.json).
                                     At start the newest valid one is served at once, before the control
                                     plane answers (/status source "cache:PATH"). Default: no cache; then
                                     until the first version arrives /ready and requests answer 503.
          --listen HOST:PORT         Proxy listener (required): IPv4, [IPv6] or a host name. Port 0 picks a free port.
          --workers N                Proxy event loops (threads). Default: number of CPUs.
          --admin-listen HOST:PORT   Admin listener: GET /health, /ready, /status, /metrics (Prometheus
                                     text format). Default: none.
          --trusted-proxies LIST     Comma-separated addresses or CIDR blocks (10.0.0.0/8,::1) of proxies in
                                     front of this one: from them, the client for rate limiting is the
                                     nearest untrusted X-Forwarded-For address. Default: none (the peer).
          --rate-limit-keys N        Rate-limit table size in slots (one per key and limit kind; 40 bytes
                                     each, reserved at start and resident once used; idle keys are
                                     evicted first when full), 64 to 67108864. Default: 262144 (10 MiB).
          --access-log off|stdout|PATH
                                     One JSON line per request (time, request_id, client_ip, method, path,
                                     route, upstream, target, status, bytes_in, bytes_out, duration_ms,
                                     upstream_duration_ms, consumer_id, tier, limit) to stdout or appended
                                     to PATH, written in batches by a writer thread (lines are dropped and
                                     counted in sluice_access_log_dropped_total if it falls behind by
                                     8 MiB). Default: off (no cost per request).
          --access-log-query         Log the path with its query string. Default: the path only.
          --metrics on|off           Count every request for GET /metrics. Default: on. With off, /metrics
                                     shows only config and process values.
          --help, -h                 Print this text and exit 0.

        Once listening, prints one line to stdout, e.g.
          listening proxy=127.0.0.1:41234 admin=127.0.0.1:41235
        (without --admin-listen there is no admin= pair).

        Log: one JSON object per line on stderr ({"time","level","program","event","message",...}),
        e.g. events listening, config_applied, config_refused, shutdown.

        Signals: SIGHUP reloads --config (ignored with --control-plane); SIGTERM or SIGINT drain in-flight requests and exit 0.
        Exit status: 0 after a signalled shutdown or --help, 1 on a config or startup failure
        (including a missing or unreadable data-plane token),
        2 on a command line error.
        """
}
