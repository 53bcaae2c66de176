// sluice-proxy: the Sluice data plane. See `ProxyCommandLine.usage` (or `sluice-proxy --help`).
import Glibc
import SluiceHTTP
import SluiceProxy

let request: ProxyCommandLine.Request
do {
    request = try ProxyCommandLine.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    ProxyLog.usageError("\(error) (see --help)")
    exit(2)
}

switch request {
case .help:
    ProcessOutput.standardOutput.write(line: ProxyCommandLine.usage)
    exit(0)
case .run(let commandLine):
    // Before any thread exists, so every thread inherits the blocked mask and the signals are
    // only ever read from the signalfd by the main thread.
    let signals: TerminationSignals
    do {
        signals = try TerminationSignals.block()
    } catch {
        ProxyLog.error("start_failed", "cannot block signals: \(error)")
        exit(1)
    }
    exit(ProxyProcess(commandLine: commandLine).run(signals: signals))
}
