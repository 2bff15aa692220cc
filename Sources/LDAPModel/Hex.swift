/// Hexadecimal helpers shared by DN escaping, `#` BER values and filter escaping.
///
/// Kept in one place so every encoder agrees on digit case and every decoder accepts both cases.
enum Hex {
    private static let upperDigits = Array("0123456789ABCDEF".utf8)
    private static let lowerDigits = Array("0123456789abcdef".utf8)

    /// The value of one hex digit (either case), or `nil` when `byte` is not a hex digit.
    static func value(of byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Two hex digits for `byte`.
    static func pair(_ byte: UInt8, uppercase: Bool = true) -> String {
        let digits = uppercase ? upperDigits : lowerDigits
        let high = digits[Int(byte >> 4)]
        let low = digits[Int(byte & 0x0F)]
        return String(decoding: [high, low], as: UTF8.self)
    }

    /// All of `bytes` as hex digits, without separators.
    static func encode(_ bytes: [UInt8], uppercase: Bool = true) -> String {
        var text = ""
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text += pair(byte, uppercase: uppercase)
        }
        return text
    }
}
