/// Why a command failed, already mapped to its exit status. `run` prints it to stderr.
struct SluicectlError: Error {
    var status: ExitStatus
    /// The first stderr line, without the `error: ` prefix.
    var message: String
    /// Further stderr lines (`  /pointer: message`).
    var details: [String] = []

    static func usage(_ message: String) -> SluicectlError {
        SluicectlError(status: .usage, message: "\(message) (see sluicectl --help)")
    }

    static func unavailable(_ message: String) -> SluicectlError {
        SluicectlError(status: .unavailable, message: message)
    }
}
