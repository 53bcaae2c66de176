/// A JSON value tree as RFC 8259 defines it, with two choices a config format needs that
/// Foundation's `JSONSerialization` does not make:
///
/// - object members keep their source order (and the writer emits them in that order), so the
///   snapshot encoder can fix a canonical key order;
/// - integers (no fraction, no exponent, within `Int64`) are `.integer`, every other number is
///   `.number`, so "expected an integer" is a checkable type error.
///
/// Values are immutable and `Sendable`. Duplicate keys never occur in a tree built by
/// `JSONParser` (it rejects them); a tree built in code should not contain them either.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([Member])

    /// One `"key": value` pair of an object.
    public struct Member: Sendable, Equatable {
        public var key: String
        public var value: JSONValue

        public init(_ key: String, _ value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// The JSON type name used in error messages: "null", "boolean", "integer", "number",
    /// "string", "array" or "object".
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .integer: "integer"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// The member named `key` of an object (linear search: objects here are small), or nil.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }
}
