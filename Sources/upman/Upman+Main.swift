import ArgumentParser
import Foundation
import UploadModel
import UploadServer

extension Upman {
    /// Runs the command the arguments name. A failure is printed as ArgumentParser would print
    /// it, but with control characters shown as visible escapes (`TerminalText.escaped`): error
    /// texts carry names and server messages that other people chose, and an argument the user
    /// pasted may hold escape sequences too. Help and version output are printed unchanged.
    /// Per-route request metrics (``RequestMetrics``) are bootstrapped first, once for the process.
    static func main() async {
        RequestMetrics.bootstrap()
        do {
            var command = try await asyncParseAsRoot(nil)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error, columns: nil)
            if code == .success || message.isEmpty { exit(withError: error) }
            FileHandle.standardError.write(Data((TerminalText.escaped(message, keepingNewlines: true) + "\n").utf8))
            Foundation.exit(code.rawValue)
        }
    }
}
