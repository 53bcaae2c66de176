import SluiceHTTP

/// The whole `sluice-control` process once its command line is parsed: read the tokens, open the
/// store (migrations run there), make the first admin token if there is none, start the API
/// server, print the listening line, then wait for SIGTERM/SIGINT and drain.
///
/// Threads: `run` keeps the calling (main) thread as the signal thread;
/// `TerminationSignals.block()` must have run before any thread was started.
public final class ControlProcess {
    public let commandLine: ControlCommandLine
    public let environment: [String: String]

    public init(commandLine: ControlCommandLine, environment: [String: String]) {
        self.commandLine = commandLine
        self.environment = environment
    }

    /// Runs until SIGTERM or SIGINT; returns 0 after a drained shutdown, 1 on a startup failure.
    public func run(signals: TerminationSignals) -> Int32 {
        let server: HTTPServer
        let api: ControlAPI
        do {
            (server, api, _) = try start()
        } catch {
            ControlLog.error("start_failed", "cannot start: \(error.description)")
            return 1
        }
        var exitStatus: Int32 = 0
        while true {
            do {
                let signal = try signals.next()
                if signal == TerminationSignals.hangup { continue }
                break
            } catch {
                ControlLog.error("signals_failed", "reading signals failed: \(error); shutting down")
                exitStatus = 1
                break
            }
        }
        ControlLog.info("shutdown", "draining the admin API")
        api.broadcaster.releaseAll()
        server.shutdown()
        server.wait()
        ControlLog.info("stopped", "stopped", ["exit_status": .int(Int(exitStatus))])
        return exitStatus
    }

    /// Why the process could not start (exit 1). Descriptions never contain a token.
    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Everything up to and including the listening line (without it when `announce` is false:
    /// `--demo` prints one line for all its listeners). Returns the bound API address.
    public func start(announce: Bool = true) throws(StartError) -> (HTTPServer, ControlAPI, SocketAddress) {
        let tokens: ControlTokens
        do {
            tokens = try ControlTokens.load(commandLine: commandLine, environment: environment)
        } catch {
            throw StartError(description: error.description)
        }
        let store: ControlPlaneStore
        do {
            store = try ControlPlaneStore(path: commandLine.databasePath)
            if tokens.admin == nil, try store.adminTokenCount() == 0 {
                let created = try store.createAdminToken(name: "generated at first start")
                ProcessOutput.standardOutput.write(line: "admin token: \(created.token)")
                ControlLog.info("admin_token_generated", "generated the first admin token (printed once on stdout; only its hash is stored)")
            }
        } catch {
            throw StartError(description: error.description)
        }
        let authenticator = APIAuthenticator(
            configuredAdminToken: tokens.admin.map { ($0, tokens.adminSource) }, dataplaneToken: tokens.dataplane,
            storedAdminToken: { token in (try? store.verifyAdminToken(token)) ?? nil })
        let api = ControlAPI(store: store, authenticator: authenticator)
        var configuration = HTTPServer.Configuration(listenAddress: commandLine.listenAddress)
        configuration.workers = commandLine.workers
        configuration.drainDeadline = .seconds(2)
        configuration.maxRequestBodyBytes = ControlAPIHandler.maxBodyBytes
        do {
            let server = try HTTPServer(configuration: configuration) { loop in ControlAPIHandler(loop: loop, api: api) }
            var address = commandLine.listenAddress
            address.port = try server.start()
            if announce {
                ProcessOutput.standardOutput.write(line: "listening admin=\(address)")
                ControlLog.info("listening", "listening admin=\(address)", ["admin": .string("\(address)")])
            }
            return (server, api, address)
        } catch {
            throw StartError(description: "listener \(commandLine.listenAddress): \(error)")
        }
    }
}
