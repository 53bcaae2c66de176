/// The state of one decoding pass: the problems found so far. Readers report wrong types,
/// missing required fields and unknown fields at their exact pointers and return nil for them, so
/// a caller can read every field, then give up on the entity if the problem count grew.
struct ConfigDecoding {
    var problems: [ConfigProblem] = []

    mutating func report(_ pointer: String, _ message: String) {
        problems.append(ConfigProblem(pointer: pointer, message: message))
    }

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

    mutating func string(_ value: JSONValue, at pointer: String) -> String? {
        guard case .string(let text) = value else {
            report(pointer, "expected string, found \(value.typeName)")
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
        guard let elements = optionalElements(object, key, required: required, element: element) else { return nil }
        var result: [Element] = []
        result.reserveCapacity(elements.count)
        for decoded in elements {
            guard let decoded else { return nil }
            result.append(decoded)
        }
        return result
    }

    /// Like `array`, but keeps the position of elements that failed as nil.
    mutating func optionalElements<Element>(
        _ object: ObjectFields, _ key: String, required: Bool = false,
        element: (JSONValue, String, inout ConfigDecoding) -> Element?
    ) -> [Element?]? {
        guard let value = value(object, key, required: required) else { return nil }
        let pointer = object.pointer(key)
        guard case .array(let values) = value else {
            report(pointer, "expected array, found \(value.typeName)")
            return nil
        }
        var result: [Element?] = []
        result.reserveCapacity(values.count)
        for (index, item) in values.enumerated() {
            result.append(element(item, JSONPointer.appending(pointer, index), &self))
        }
        return result
    }

    mutating func stringArray(_ object: ObjectFields, _ key: String) -> [String]? {
        array(object, key) { value, pointer, decoding in decoding.string(value, at: pointer) }
    }
}

/// An object's members and its pointer, for `ConfigDecoding`'s readers.
struct ObjectFields {
    let members: [JSONValue.Member]
    let pointer: String

    subscript(key: String) -> JSONValue? {
        members.first { $0.key == key }?.value
    }

    func pointer(_ key: String) -> String {
        JSONPointer.appending(pointer, key)
    }
}
