// sluice-proxy: the Sluice data plane. See `ProxyCommandLine.usage` (or `sluice-proxy --help`).
import SluiceHTTP
import SluiceProxy

ProgramMain.run(log: ProxyLog.self, usage: ProxyCommandLine.usage, parse: { (arguments) throws(CommandLineError) -> ProxyCommandLine? in
    guard case .run(let commandLine) = try ProxyCommandLine.parse(arguments) else { return nil }
    return commandLine
}, body: { commandLine, signals in
    ProxyProcess(commandLine: commandLine).run(signals: signals)
})
