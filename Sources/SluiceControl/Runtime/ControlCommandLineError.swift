/// Why the `sluice-control` arguments were refused (exit status 2).
public enum ControlCommandLineError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownFlag(String)
    case missingValue(flag: String)
    case missingFlag(String)
    case repeatedFlag(String)
    case unexpectedArgument(String)
    case invalidValue(flag: String, value: String, reason: String)

    public var description: String {
        switch self {
        case .unknownFlag(let flag): "unknown flag \(flag)"
        case .missingValue(let flag): "\(flag) needs a value"
        case .missingFlag(let flag): "\(flag) is required"
        case .repeatedFlag(let flag): "\(flag) given more than once"
        case .unexpectedArgument(let argument): "unexpected argument \(argument)"
        case .invalidValue(let flag, let value, let reason): "\(flag) \(value): \(reason)"
        }
    }
}
