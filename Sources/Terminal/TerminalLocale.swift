import CNcursesw
import Foundation

/// The character set the user's locale gives the terminal.
public enum TerminalLocale {
    /// Adopts the user's locale (`setlocale(LC_ALL, "")`) and tells whether its character set
    /// (`nl_langinfo(CODESET)`) is UTF-8. Where it is not, text for the terminal goes through
    /// `ASCIIFallback.string` first.
    public static func isUTF8() -> Bool {
        setlocale(LC_ALL, "")
        return upman_locale_is_utf8() != 0
    }
}
