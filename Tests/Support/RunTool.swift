import Foundation

/// Runs `arguments` (the first found on PATH) with `environment` added to this process's, in
/// `directory` if given; returns its exit status and its output and errors together. Blocks the
/// calling thread: call it off the cooperative pool.
public func runTool(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws -> (code: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try LaunchThread.run(process)
    let output = PipeRead.toEnd(pipe.fileHandleForReading)
    return (process.waitForExit(), String(decoding: output, as: UTF8.self))
}
