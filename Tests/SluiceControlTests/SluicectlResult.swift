/// What one `sluicectl` run did: exit status, stdout and stderr.
struct SluicectlResult: CustomStringConvertible {
    var status: Int32
    var standardOutput: String
    var standardError: String

    var description: String { "exit \(status)\nstdout:\n\(standardOutput)\nstderr:\n\(standardError)" }

    /// stdout split into lines, without the empty one after the final newline.
    var lines: [String] { standardOutput.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty } }
}
