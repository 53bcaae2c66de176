import Glibc

extension ExitStatus {
    /// Ends the process with this status (exit(3): stdout and stderr are written unbuffered by
    /// `Terminal`, so nothing is pending).
    func exitProcess() -> Never {
        exit(rawValue)
    }
}
