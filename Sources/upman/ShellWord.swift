import UploadModel

/// Quotes one argument for a POSIX shell so that pasting it gives back exactly its bytes, and so
/// that the text itself holds no control character (it is printed to a terminal).
enum ShellWord {
    /// `bytes` as one shell word: bare when it is all safe characters, in single quotes when it is
    /// printable UTF-8, else in bash's `$'…'` with `\xHH` for every byte outside printable ASCII.
    static func quote(_ bytes: [UInt8]) -> String {
        if !bytes.isEmpty, bytes.allSatisfy(isSafe) { return String(decoding: bytes, as: UTF8.self) }
        if let text = String(validating: bytes, as: UTF8.self), !text.unicodeScalars.contains(where: TerminalText.isControl) {
            return "'" + text.replacing("'", with: "'\\''") + "'"
        }
        var out = "$'"
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\\"): out += "\\\\"
            case UInt8(ascii: "'"): out += "\\'"
            case 0x20...0x7E: out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: false)
                out += "\\x" + (hex.count < 2 ? "0" + hex : hex)
            }
        }
        return out + "'"
    }

    /// `text` as one shell word.
    static func quote(_ text: String) -> String {
        quote(Array(text.utf8))
    }

    private static func isSafe(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "_-./,:=@%+".utf8.contains(byte)
        }
    }
}
