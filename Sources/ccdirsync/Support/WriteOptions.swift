import ArgumentParser

/// The options of the commands that write (`apply`, `sync`).
struct WriteOptions: ParsableArguments {
    @Option(help: "Write operations outstanding at once.")
    var window = 32

    @Option(help: "Attempts per change when the server is busy or unreachable (the first one included).")
    var maxAttempts = 6

    @Option(
        help: ArgumentHelp("Write the run's figures in the Prometheus text format to this file.", valueName: "file"))
    var metrics: String?

    func validate() throws {
        guard (1...1024).contains(window) else {
            throw ValidationError("--window must be between 1 and 1024.")
        }
        guard (1...100).contains(maxAttempts) else {
            throw ValidationError("--max-attempts must be between 1 and 100.")
        }
    }
}
