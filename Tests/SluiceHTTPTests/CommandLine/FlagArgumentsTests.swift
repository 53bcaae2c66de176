import Testing
import SluiceHTTP

@Suite struct FlagArgumentsTests {
    enum Flag: String, CaseIterable {
        case a = "--a", b = "--b"
    }

    func parse(_ arguments: [String]) throws(CommandLineError) -> FlagArguments<Flag> {
        try FlagArguments<Flag>(arguments, switchFlags: ["--on"])
    }

    @Test func bothValueFormsAndSwitches() throws {
        let flags = try parse(["--a", "1", "--b=x=y", "--on"])
        #expect(flags.values == [.a: "1", .b: "x=y"])
        #expect(flags.switches == ["--on"])
        #expect(try parse([]).values.isEmpty)
    }

    @Test(arguments: [
        (["x"], CommandLineError.unexpectedArgument("x")),
        (["--c", "1"], .unknownFlag("--c")),
        (["--c=1"], .unknownFlag("--c")),
        (["--a"], .missingValue(flag: "--a")),
        (["--a", "--b", "1"], .missingValue(flag: "--a")),
        (["--a="], .missingValue(flag: "--a")),
        (["--a", "1", "--a=2"], .repeatedFlag("--a")),
        (["--on", "--on"], .repeatedFlag("--on")),
        (["--on=yes"], .invalidValue(flag: "--on", value: "yes", reason: "takes no value")),
    ])
    func refusals(_ arguments: [String], _ expected: CommandLineError) {
        #expect(throws: expected) { try parse(arguments) }
    }

    @Test func helpAnywhere() {
        #expect(ProgramMain.asksForHelp(["--a", "1", "-h"]))
        #expect(ProgramMain.asksForHelp(["--bogus", "--help"]))
        #expect(!ProgramMain.asksForHelp(["--a", "--helpful"]))
    }
}
