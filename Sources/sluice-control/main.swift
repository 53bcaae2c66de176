// sluice-control: the Sluice control plane. See `ControlCommandLine.usage` (or `sluice-control --help`).
import Foundation
import Glibc
import SluiceControl
import SluiceHTTP

let request: ControlCommandLine.Request
do {
    request = try ControlCommandLine.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    ControlLog.usageError("\(error) (see --help)")
    exit(2)
}

switch request {
case .help:
    ProcessOutput.standardOutput.write(line: ControlCommandLine.usage)
    exit(0)
case .run(let commandLine):
    // Before any thread exists, so every thread inherits the blocked mask.
    let signals: TerminationSignals
    do {
        signals = try TerminationSignals.block()
    } catch {
        ControlLog.error("start_failed", "cannot block signals: \(error)")
        exit(1)
    }
    if let demo = commandLine.demo {
        let gateway = DemoGateway(commandLine: commandLine, demo: demo, environment: ProcessInfo.processInfo.environment)
        exit(gateway.run(signals: signals))
    }
    let process = ControlProcess(commandLine: commandLine, environment: ProcessInfo.processInfo.environment)
    exit(process.run(signals: signals))
}
