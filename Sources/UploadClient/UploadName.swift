/// The name a file is uploaded under, made from the bytes its path holds.
///
/// A POSIX file name is bytes, not text: a name written on an old system in Latin-1 (`caf\xE9.txt`)
/// is not UTF-8, and neither JSON nor the server's records can carry it as it is. The name sent to
/// the server keeps every byte: a name that is valid UTF-8 is sent unchanged; in one that is not,
/// each byte that does not decode is written as `%XX` (upper-case hex) and `%` itself as `%25`, so
/// the name maps back to exactly the bytes on disk. People see the name with U+FFFD in place of
/// each undecodable sequence (``display(_:)``), and a terminal gets that through
/// `TerminalText.escaped`.
public enum UploadName {
    /// The name sent to the server for the name bytes `bytes` (a path relative to what was given,
    /// components joined by `/`).
    public static func encoded(_ bytes: some Collection<UInt8>) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        let raw = Array(bytes)
        var out = String.UnicodeScalarView()
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = raw.makeIterator()
        var position = 0
        func escape(_ byte: UInt8) {
            let hex = Array("0123456789ABCDEF".unicodeScalars)
            out.append("%")
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0x0F)])
        }
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                let scalar = Unicode.UTF8.decode(encoded)
                if scalar == "%" { escape(UInt8(ascii: "%")) } else { out.append(scalar) }
                position += encoded.count
            case .error(let length):
                for byte in raw[position..<position + length] { escape(byte) }
                position += length
            case .emptyInput:
                return String(out)
            }
        }
    }

    /// The name for people: each sequence of bytes that does not decode as UTF-8 becomes U+FFFD.
    /// Not yet safe for a terminal: pass it through `TerminalText.escaped`.
    public static func display(_ bytes: some Collection<UInt8>) -> String {
        String(decoding: Array(bytes), as: UTF8.self)
    }
}
