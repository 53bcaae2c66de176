/// A snapshot or entity that cannot be used, with every problem found (not only the first).
///
/// `syntaxError` is set when the bytes are not JSON at all (the admin API answers 400 for that and
/// 422 for every other problem); `problems` then holds one entry describing it at pointer `""`.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var problems: [ConfigProblem]
    public var syntaxError: JSONParseError?

    public init(problems: [ConfigProblem], syntaxError: JSONParseError? = nil) {
        self.problems = problems
        self.syntaxError = syntaxError
    }

    init(syntaxError: JSONParseError) {
        self.init(problems: [ConfigProblem(pointer: "", message: "invalid JSON: \(syntaxError)")],
                  syntaxError: syntaxError)
    }

    /// One line per problem, after a count: "2 configuration problems:\n  /routes/0/upstream: ...".
    public var description: String {
        let noun = problems.count == 1 ? "problem" : "problems"
        var text = "\(problems.count) configuration \(noun):"
        for problem in problems {
            text += "\n  \(problem)"
        }
        return text
    }

    /// The admin API's 400/422 body: `{"errors": [{"pointer": "/targets/0/url", "message": "..."}]}`.
    public var jsonValue: JSONValue {
        .object([.init("errors", .array(problems.map(\.jsonValue)))])
    }
}
