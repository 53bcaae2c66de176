import SluiceConfig

/// Why a configuration could not be loaded: when, a one-line summary, and (for a snapshot that
/// decoded as JSON but broke the rules) every problem at its JSON Pointer. What `/status`
/// reports as `last_error` and what a refused reload logs, one line per problem.
public struct ConfigLoadFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// Unix seconds.
    public var at: Int
    public var message: String
    public var problems: [ConfigProblem]

    public init(at: Int, message: String, problems: [ConfigProblem] = []) {
        self.at = at
        self.message = message
        self.problems = problems
    }

    /// One line per problem (`/routes/0/upstream: unknown upstream "x"`), or the message when
    /// there are none.
    public var lines: [String] {
        problems.isEmpty ? [message] : problems.map(\.description)
    }

    public var description: String { ([message] + problems.map(\.description)).joined(separator: "\n  ") }
}
