import SluiceConfig

/// Why a snapshot could not be compiled: its validation problems, or a target host that does not
/// resolve. Every problem names its JSON pointer (`/upstreams/0/targets/1/url`).
public struct ConfigCompileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var problems: [ConfigProblem]

    public init(problems: [ConfigProblem]) {
        self.problems = problems
    }

    public var description: String {
        problems.map(\.description).joined(separator: "; ")
    }
}
