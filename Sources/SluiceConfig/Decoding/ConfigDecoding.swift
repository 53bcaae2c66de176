/// The state of one decoding pass: the problems found so far. Readers report wrong types,
/// missing required fields and unknown fields at their exact pointers and return nil for them, so
/// a caller can read every field, then give up on the entity if the problem count grew.
struct ConfigDecoding {
    var problems: [ConfigProblem] = []

    mutating func report(_ pointer: String, _ message: String) {
        problems.append(ConfigProblem(pointer: pointer, message: message))
    }

    // Pointers are built only when there is something to report: building one string per field
    // would dominate the cost of decoding a large snapshot.

    /// The members of an object, after reporting each key not in `fields` as "unknown field".
    /// A value that is not an object is reported and gives nil.
    mutating func object(_ value: JSONValue, at pointer: String, fields: [String]) -> ObjectFields? {
        guard case .object(let members) = value else {
            report(pointer, "expected object, found \(value.typeName)")
            return nil
        }
        for member in members where !fields.contains(member.key) {
            report(JSONPointer.appending(pointer, member.key), "unknown field")
        }
        return ObjectFields(members: members, pointer: pointer)
    }

    /// The value of `key`, or nil; a missing required field is reported.
    mutating func value(_ object: ObjectFields, _ key: String, required: Bool) -> JSONValue? {
        if let value = object[key] { return value }
        if required { report(object.pointer(key), "required field is missing") }
        return nil
    }

    mutating func string(_ object: ObjectFields, _ key: String, required: Bool = false) -> String? {
        guard let value = value(object, key, required: required) else { return nil }
        return string(value, at: object.pointer(key))
    }

    mutating func string(_ value: JSONValue, at pointer: @autoclosure () -> String) -> String? {
        guard case .string(let text) = value else {
            report(pointer(), "expected string, found \(value.typeName)")
            return nil
        }
        return text
    }

    mutating func integer(_ object: ObjectFields, _ key: String, required: Bool = false) -> Int? {
        guard let value = value(object, key, required: required) else { return nil }
        guard case .integer(let number) = value else {
            report(object.pointer(key), "expected integer, found \(value.typeName)")
            return nil
        }
        return Int(number)
    }

    /// Any JSON number, integer or not.
    mutating func number(_ object: ObjectFields, _ key: String, required: Bool = false) -> Double? {
        guard let value = value(object, key, required: required) else { return nil }
        switch value {
        case .integer(let number): return Double(number)
        case .number(let number): return number
        default:
            report(object.pointer(key), "expected number, found \(value.typeName)")
            return nil
        }
    }

    mutating func bool(_ object: ObjectFields, _ key: String) -> Bool? {
        guard let value = value(object, key, required: false) else { return nil }
        guard case .bool(let flag) = value else {
            report(object.pointer(key), "expected boolean, found \(value.typeName)")
            return nil
        }
        return flag
    }

    /// A string that must be one of `Choice`'s raw values.
    mutating func choice<Choice: RawRepresentable & CaseIterable>(
        _ object: ObjectFields, _ key: String, required: Bool = false
    ) -> Choice? where Choice.RawValue == String {
        guard let text = string(object, key, required: required) else { return nil }
        if let choice = Choice(rawValue: text) { return choice }
        let allowed = Choice.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
        report(object.pointer(key), "unknown value \"\(text)\" (expected one of \(allowed))")
        return nil
    }

    /// An array whose elements `element` decodes; nil when the field is absent, not an array, or
    /// any element failed (each failure is reported by `element`).
    mutating func array<Element>(
        _ object: ObjectFields, _ key: String, required: Bool = false,
        element: (JSONValue, String, inout ConfigDecoding) -> Element?
    ) -> [Element]? {
        guard let list = entities(object, key, required: required, element: element) else { return nil }
        return list.isComplete ? list.entities : nil
    }

    /// The elements of an array field that decoded, with their positions if some did not; an
    /// empty list when the field is absent or not an array.
    mutating func entities<Element>(
        _ object: ObjectFields, _ key: String,
        element: (JSONValue, String, inout ConfigDecoding) -> Element?
    ) -> PartialList<Element> {
        entities(object, key, required: false, element: element) ?? PartialList()
    }

    private mutating func entities<Element>(
        _ object: ObjectFields, _ key: String, required: Bool,
        element: (JSONValue, String, inout ConfigDecoding) -> Element?
    ) -> PartialList<Element>? {
        guard let value = value(object, key, required: required) else { return nil }
        let pointer = object.pointer(key)
        guard case .array(let values) = value else {
            report(pointer, "expected array, found \(value.typeName)")
            return nil
        }
        var list = PartialList<Element>()
        list.entities.reserveCapacity(values.count)
        for index in values.indices {
            if let decoded = element(values[index], JSONPointer.appending(pointer, index), &self) {
                list.entities.append(decoded)
                list.positions?.append(index)
            } else if list.positions == nil {
                list.positions = Array(0..<list.entities.count)
            }
        }
        return list
    }

    mutating func stringArray(_ object: ObjectFields, _ key: String) -> [String]? {
        guard let value = value(object, key, required: false) else { return nil }
        guard case .array(let values) = value else {
            report(object.pointer(key), "expected array, found \(value.typeName)")
            return nil
        }
        var result: [String] = []
        result.reserveCapacity(values.count)
        var failed = false
        for index in values.indices {
            if let text = string(values[index], at: JSONPointer.appending(object.pointer(key), index)) {
                result.append(text)
            } else {
                failed = true
            }
        }
        return failed ? nil : result
    }

    /// An object field whose members are all strings, in order (keys are unique: the parser
    /// refuses duplicates); nil when absent or when anything is of the wrong type.
    mutating func stringMembers(_ object: ObjectFields, _ key: String) -> [(key: String, value: String)]? {
        guard let value = value(object, key, required: false) else { return nil }
        guard case .object(let members) = value else {
            report(object.pointer(key), "expected object, found \(value.typeName)")
            return nil
        }
        var result: [(key: String, value: String)] = []
        result.reserveCapacity(members.count)
        var failed = false
        for member in members {
            if let text = string(member.value, at: JSONPointer.appending(object.pointer(key), member.key)) {
                result.append((member.key, text))
            } else {
                failed = true
            }
        }
        return failed ? nil : result
    }
}
