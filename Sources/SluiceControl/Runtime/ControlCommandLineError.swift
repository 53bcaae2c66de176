import SluiceHTTP

/// Why the `sluice-control` arguments were refused (the shared `CommandLineError`; exit status 2).
public typealias ControlCommandLineError = CommandLineError
