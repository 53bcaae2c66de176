/// The exit statuses scripts can rely on (listed in `sluicectl --help`).
enum ExitStatus: Int32 {
    /// The command did what it said.
    case ok = 0
    /// The server refused the request (4xx other than 401/403: validation, conflict, not found…).
    case refused = 1
    /// The command line is wrong (unknown command or flag, missing argument, unreadable file).
    case usage = 2
    /// The server cannot be reached, answered 5xx, or sent something that is not a valid answer.
    case unavailable = 3
    /// The server did not accept the token (401 or 403).
    case authentication = 4
}
