/// An object's members and its pointer, for `ConfigDecoding`'s readers.
struct ObjectFields {
    let members: [JSONValue.Member]
    let pointer: String

    subscript(key: String) -> JSONValue? {
        for index in members.indices where members[index].key == key {
            return members[index].value
        }
        return nil
    }

    func pointer(_ key: String) -> String {
        JSONPointer.appending(pointer, key)
    }
}
