/// Formats IMF-fixdate (RFC 9110 §5.6.7), e.g. `Sun, 06 Nov 1994 08:49:37 GMT`, without libc or
/// Foundation: civil-from-days arithmetic on the Unix time. Always 29 bytes.
enum HTTPDate {
    static let length = 29
    private static let weekdays: [UInt8] = Array("ThuFriSatSunMonTueWed".utf8)
    private static let months: [UInt8] = Array("JanFebMarAprMayJunJulAugSepOctNovDec".utf8)

    /// Writes the IMF-fixdate for `secondsSinceEpoch` into `output` (replacing its contents).
    static func format(_ secondsSinceEpoch: Int, into output: inout [UInt8]) {
        let days = secondsSinceEpoch >= 0 ? secondsSinceEpoch / 86_400 : (secondsSinceEpoch - 86_399) / 86_400
        let secondOfDay = secondsSinceEpoch - days * 86_400
        let (civilYear, civilMonth, civilDay) = UTCTime.civil(fromDays: Int64(days))
        let (year, month, day) = (Int(civilYear), Int(civilMonth), Int(civilDay))
        let weekday = ((days % 7) + 7) % 7

        output.removeAll(keepingCapacity: true)
        output.append(contentsOf: weekdays[weekday * 3..<weekday * 3 + 3])
        output.append(UInt8(ascii: ","))
        output.append(UInt8(ascii: " "))
        appendTwoDigits(day, to: &output)
        output.append(UInt8(ascii: " "))
        output.append(contentsOf: months[(month - 1) * 3..<(month - 1) * 3 + 3])
        output.append(UInt8(ascii: " "))
        appendTwoDigits(year / 100 % 100, to: &output)
        appendTwoDigits(year % 100, to: &output)
        output.append(UInt8(ascii: " "))
        appendTwoDigits(secondOfDay / 3_600, to: &output)
        output.append(UInt8(ascii: ":"))
        appendTwoDigits(secondOfDay / 60 % 60, to: &output)
        output.append(UInt8(ascii: ":"))
        appendTwoDigits(secondOfDay % 60, to: &output)
        output.append(contentsOf: " GMT".utf8)
    }

    private static func appendTwoDigits(_ value: Int, to output: inout [UInt8]) {
        output.append(UInt8(truncatingIfNeeded: 48 + value / 10))
        output.append(UInt8(truncatingIfNeeded: 48 + value % 10))
    }
}
