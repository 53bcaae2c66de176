import SluiceConfig

extension JSONValue {
    /// The value as one table cell: strings bare, numbers as written, booleans yes/no, arrays
    /// joined with commas, null empty, objects as compact JSON.
    var cell: String {
        switch self {
        case .null: ""
        case .bool(let value): value ? "yes" : "no"
        case .integer(let value): "\(value)"
        case .number(let value): "\(value)"
        case .string(let value): value
        case .array(let elements): elements.map(\.cell).joined(separator: ",")
        case .object: String(decoding: JSONWriter.compact(self), as: UTF8.self)
        }
    }

    /// The cell of member `key` (empty when absent).
    func cell(_ key: String) -> String {
        self[key]?.cell ?? ""
    }

    /// The elements of an array value (empty for anything else).
    var elements: [JSONValue] {
        if case .array(let elements) = self { return elements }
        return []
    }

    /// This object with `overrides` replacing members of the same key and the others appended.
    func merging(_ overrides: [JSONValue.Member]) -> JSONValue {
        guard case .object(var members) = self else { return .object(overrides) }
        for override in overrides {
            if let index = members.firstIndex(where: { $0.key == override.key }) {
                members[index].value = override.value
            } else {
                members.append(override)
            }
        }
        return .object(members)
    }
}
