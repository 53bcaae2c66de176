import SluiceHTTP

/// Why the `sluice-proxy` arguments cannot be run (the shared `CommandLineError`); the process
/// prints `description` on stderr (followed by a hint to use `--help`) and exits with status 2.
public typealias ProxyCommandLineError = CommandLineError
