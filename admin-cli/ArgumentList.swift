/// The words of a command line still to be consumed. Commands take their flags out first
/// (`--flag VALUE`, `--flag=VALUE`, boolean `--flag`), then their positional arguments; whatever
/// is left is a usage error (`finish`).
struct ArgumentList {
    private(set) var words: [String]

    init(_ words: [String]) {
        self.words = words
    }

    var isEmpty: Bool { words.isEmpty }

    /// Removes every occurrence of a boolean flag; true if there was one.
    mutating func flag(_ names: String...) -> Bool {
        let before = words.count
        words.removeAll { names.contains($0) }
        return words.count != before
    }

    /// Removes and returns every value of a flag that takes one (`--name V` or `--name=V`), in order.
    mutating func values(_ names: String...) throws(SluicectlError) -> [String] {
        var found: [String] = []
        var index = 0
        var kept: [String] = []
        while index < words.count {
            let word = words[index]
            if names.contains(word) {
                guard index + 1 < words.count else { throw .usage("\(word) needs a value") }
                found.append(words[index + 1])
                index += 2
                continue
            }
            if let equals = word.firstIndex(of: "="), word.hasPrefix("--"), names.contains(String(word[..<equals])) {
                found.append(String(word[word.index(after: equals)...]))
                index += 1
                continue
            }
            kept.append(word)
            index += 1
        }
        words = kept
        return found
    }

    /// The single value of a flag, or nil; given twice is a usage error.
    mutating func value(_ names: String...) throws(SluicectlError) -> String? {
        var found: [String] = []
        for name in names { found += try values(name) }
        guard found.count <= 1 else { throw .usage("\(names[0]) given more than once") }
        return found.first
    }

    /// An integer flag value.
    mutating func integer(_ name: String) throws(SluicectlError) -> Int? {
        guard let text = try value(name) else { return nil }
        guard let number = Int(text) else { throw .usage("\(name) needs a whole number, got \"\(text)\"") }
        return number
    }

    /// The next positional argument (`-` alone counts as one: stdin), or nil.
    mutating func positional() throws(SluicectlError) -> String? {
        guard let first = words.first else { return nil }
        if first.hasPrefix("-") && first != "-" { throw .usage("unknown option \(first)") }
        words.removeFirst()
        return first
    }

    /// The next positional argument, which must be there.
    mutating func required(_ what: String) throws(SluicectlError) -> String {
        guard let word = try positional() else { throw .usage("missing \(what)") }
        return word
    }

    /// Fails on anything not consumed.
    func finish() throws(SluicectlError) {
        guard let first = words.first else { return }
        if first.hasPrefix("-") && first != "-" { throw .usage("unknown option \(first)") }
        throw .usage("unexpected argument \"\(first)\"")
    }
}
