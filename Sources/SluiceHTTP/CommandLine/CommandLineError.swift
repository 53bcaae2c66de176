/// Why a program's arguments cannot be run; the program prints `description` on stderr
/// (followed by a hint to use `--help`) and exits with status 2. Shared by `sluice-proxy` and
/// `sluice-control` (`ProxyCommandLineError`, `ControlCommandLineError`).
public enum CommandLineError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A `--flag` this program does not know.
    case unknownFlag(String)
    /// A positional argument: every setting is a flag.
    case unexpectedArgument(String)
    /// A flag given without its value (at the end, followed by another flag, or `--flag=`).
    case missingValue(flag: String)
    /// A flag given twice.
    case repeatedFlag(String)
    /// A required flag is absent.
    case missingFlag(String)
    /// Two flags that exclude each other, or a flag that needs another one (`reason` says which).
    case conflictingFlags(String, reason: String)
    /// A value that does not parse (bad address, bad count), or a value given to a switch.
    case invalidValue(flag: String, value: String, reason: String)

    public var description: String {
        switch self {
        case .unknownFlag(let flag): "unknown flag \(flag)"
        case .unexpectedArgument(let argument): "unexpected argument \"\(argument)\""
        case .missingValue(let flag): "\(flag) needs a value"
        case .repeatedFlag(let flag): "\(flag) given more than once"
        case .missingFlag(let flag): "\(flag) is required"
        case .conflictingFlags(let flag, let reason): "\(flag): \(reason)"
        case .invalidValue(let flag, let value, let reason): "invalid \(flag) \"\(value)\": \(reason)"
        }
    }
}
