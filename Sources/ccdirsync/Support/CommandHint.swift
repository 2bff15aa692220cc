import Foundation

/// A command line ccdirsync prints for a person to run next, spelled so that it runs as printed.
///
/// The program is named as it was started (`argv[0]`), the configuration as the user gave it to `--config`, and
/// every word is quoted for a POSIX shell when it needs to be, so a path with a space in it survives a copy and paste.
enum CommandHint {
    /// `<ccdirsync> apply --config <config> --plan <plan> --approve <hash>`: applies one over-threshold plan.
    static func approve(config: String, plan: String, hash: String) -> String {
        command(["apply", "--config", config, "--plan", plan, "--approve", hash])
    }

    /// The program as it was started, then `arguments`, each quoted as needed.
    static func command(_ arguments: [String]) -> String {
        ([program] + arguments).map(quoted).joined(separator: " ")
    }

    /// How this process was started: what a shell finds again from the same folder.
    static var program: String {
        CommandLine.arguments.first.flatMap { $0.isEmpty ? nil : $0 } ?? "ccdirsync"
    }

    /// `word` as one word of a POSIX shell command: as it is when it holds only characters no shell treats
    /// specially, else in single quotes (a single quote inside written `'\''`).
    static func quoted(_ word: String) -> String {
        let plain =
            !word.isEmpty
            && word.unicodeScalars.allSatisfy { scalar in
                switch scalar {
                case "a"..."z", "A"..."Z", "0"..."9", "-", "_", ".", "/", ",", ":", "=", "+", "@", "%": true
                default: false
                }
            }
        return plain ? word : "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}
