import Glibc

/// The start of every Sluice daemon's `main`, written once: parse the arguments (a bad command
/// line: the reason on stderr, exit 2; `--help`: the usage on stdout, exit 0), block the
/// termination signals before any thread exists (so every thread inherits the mask and only the
/// main thread reads them, from a signalfd), then run and exit with the run's status.
public enum ProgramMain {
    /// Whether the help flag (`--help` or `-h`) is anywhere: it wins over everything else.
    public static func asksForHelp(_ arguments: [String]) -> Bool {
        arguments.contains { $0 == "--help" || $0 == "-h" }
    }

    /// `parse` returns nil for `--help`. Never returns.
    public static func run<Settings, Log: ProgramEventLog>(
        log: Log.Type, usage: String, parse: ([String]) throws(CommandLineError) -> Settings?,
        body: (Settings, TerminationSignals) -> Int32
    ) -> Never {
        let settings: Settings?
        do {
            settings = try parse(Array(CommandLine.arguments.dropFirst()))
        } catch {
            Log.usageError("\(error) (see --help)")
            exit(2)
        }
        guard let settings else {
            ProcessOutput.standardOutput.write(line: usage)
            exit(0)
        }
        let signals: TerminationSignals
        do {
            signals = try TerminationSignals.block()
        } catch {
            Log.error("start_failed", "cannot block signals: \(error)")
            exit(1)
        }
        exit(body(settings, signals))
    }
}
