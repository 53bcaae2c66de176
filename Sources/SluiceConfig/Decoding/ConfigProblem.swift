/// One thing wrong with a snapshot or entity: where (an RFC 6901 JSON Pointer into the document,
/// such as `/routes/2/upstream`; `""` is the whole document) and what, in a sentence meant for the
/// person who wrote it. Messages never contain secret values.
public struct ConfigProblem: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var pointer: String
    public var message: String

    public init(pointer: String, message: String) {
        self.pointer = pointer
        self.message = message
    }

    public var description: String {
        "\(pointer.isEmpty ? "(document)" : pointer): \(message)"
    }

    /// `{"pointer": "...", "message": "..."}`.
    public var jsonValue: JSONValue {
        .object([.init("pointer", .string(pointer)), .init("message", .string(message))])
    }
}
