import Foundation
import UploadClient

/// Turns the paths given to `upman put` into files: a directory contributes every regular file
/// below it (named by its path from the directory's parent), a file its own name.
enum FileCollector {
    static func collect(_ paths: [String]) throws -> [LocalFile] {
        var files: [LocalFile] = []
        var seen: Set<String> = []
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw CLIError("\(path): no such file or directory")
            }
            let url = URL(fileURLWithPath: path).standardizedFileURL
            if isDirectory.boolValue {
                let base = url.deletingLastPathComponent().path
                guard let walker = manager.enumerator(atPath: url.path) else { throw CLIError("\(path): cannot read the directory") }
                var found: [String] = []
                while let relative = walker.nextObject() as? String {
                    let full = url.appendingPathComponent(relative).path
                    var isDir: ObjCBool = false
                    if manager.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue { found.append(full) }
                }
                for full in found.sorted() {
                    let name = String(full.dropFirst(base.count).drop { $0 == "/" })
                    try add(full, name: name, to: &files, seen: &seen)
                }
            } else {
                try add(url.path, name: url.lastPathComponent, to: &files, seen: &seen)
            }
        }
        guard !files.isEmpty else { throw CLIError("nothing to upload: the paths hold no files") }
        return files
    }

    private static func add(_ path: String, name: String, to files: inout [LocalFile], seen: inout Set<String>) throws {
        guard seen.insert(name).inserted else { throw CLIError("two files would be uploaded as \(name); upload them in separate groups") }
        do {
            files.append(try LocalFile(path: path, uploadName: name))
        } catch {
            throw CLIError("\(error)")
        }
    }
}
