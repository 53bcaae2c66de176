// sluice-control: the Sluice control plane. See `ControlCommandLine.usage` (or `sluice-control --help`).
import Foundation
import SluiceControl
import SluiceHTTP

ProgramMain.run(log: ControlLog.self, usage: ControlCommandLine.usage, parse: { (arguments) throws(CommandLineError) -> ControlCommandLine? in
    guard case .run(let commandLine) = try ControlCommandLine.parse(arguments) else { return nil }
    return commandLine
}, body: { (commandLine: ControlCommandLine, signals) in
    let environment = ProcessInfo.processInfo.environment
    if let demo = commandLine.demo {
        return DemoGateway(commandLine: commandLine, demo: demo, environment: environment).run(signals: signals)
    }
    return ControlProcess(commandLine: commandLine, environment: environment).run(signals: signals)
})
