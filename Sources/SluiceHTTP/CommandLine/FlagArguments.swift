/// A program's arguments split into flags, the one syntax every Sluice program takes:
/// `--flag value` or `--flag=value` for flags with a value (a value may not start with `--`,
/// may not be empty, and a flag may appear once), bare `--switch` for switches, nothing
/// positional. What the values mean is the caller's business.
///
/// `Flag` is the program's enum of flags with a value, each raw value the flag with its `--`.
public struct FlagArguments<Flag: CaseIterable & Hashable & RawRepresentable> where Flag.RawValue == String {
    /// Values by flag (`.listen` → `127.0.0.1:0`).
    public private(set) var values: [Flag: String] = [:]
    /// The switches given.
    public private(set) var switches: Set<String> = []

    /// Splits `arguments` (without the program name); `switchFlags` are the program's flags
    /// without a value, with their `--`.
    public init(_ arguments: [String], switchFlags: Set<String> = []) throws(CommandLineError) {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("--") else { throw .unexpectedArgument(argument) }
            let name: String
            var value: String?
            if let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                value = String(argument[argument.index(after: equals)...])
            } else {
                name = argument
            }
            if switchFlags.contains(name) {
                guard value == nil else { throw .invalidValue(flag: name, value: value ?? "", reason: "takes no value") }
                guard switches.insert(name).inserted else { throw .repeatedFlag(name) }
                continue
            }
            guard let flag = Flag(rawValue: name) else { throw .unknownFlag(name) }
            if value == nil {
                guard index < arguments.count, !arguments[index].hasPrefix("--") else { throw .missingValue(flag: name) }
                value = arguments[index]
                index += 1
            }
            guard let value, !value.isEmpty else { throw .missingValue(flag: name) }
            guard values[flag] == nil else { throw .repeatedFlag(name) }
            values[flag] = value
        }
    }
}
