import Foundation

/// `ccdirsync-faults [--users N] [--scenarios a,b] [--figures FILE] [--keep]`: the fault suite (docs/FAULTS.md).
///
/// Expects `ccdirsync` and `ccdirsync-generate` beside itself. Prints a table of figures; exit 0 when every scenario
/// passed every check, 1 when one failed, 64 on a bad command line.
func parseOptions(_ arguments: [String]) -> FaultSuite.Options? {
    var options = FaultSuite.Options()
    var index = 0
    while index < arguments.count {
        let value = index + 1 < arguments.count ? arguments[index + 1] : nil
        switch (arguments[index], value) {
        case ("--users", let value?):
            guard let users = Int(value), users >= 100 else { return nil }
            options.users = users
        case ("--scenarios", let value?):
            let names = value.split(separator: ",").map(String.init)
            guard names.allSatisfy({ name in Scenario.all.contains { $0.name == name } }) else { return nil }
            options.scenarios = names
        case ("--figures", let value?):
            options.figures = value
        case ("--keep", _):
            options.keep = true
            index += 1
            continue
        default:
            return nil
        }
        index += 2
    }
    return options
}

func table(_ figures: [Figures], users: Int) -> String {
    func yes(_ value: Bool) -> String { value ? "yes" : "NO" }
    var lines = [
        "| scenario | interruption | ended in | interrupted exit | clean stop | re-run exit | converged | undo exact | foreign kept | journal lines | s |",
        "|---|---|---|---:|---|---:|---|---|---|---:|---:|",
    ]
    for row in figures {
        lines.append(
            "| \(row.scenario) | \(row.point) | \(row.landed) | \(row.interruptedExit) | \(yes(row.cleanStop)) | \(row.rerunExit) | "
                + "\(yes(row.converged)) | \(yes(row.undoExact)) | \(yes(row.foreignKept)) | \(row.journalLines) | "
                + String(format: "%.1f", row.seconds) + " |")
    }
    let failed = figures.filter { !$0.passed }
    lines.append("")
    lines.append(
        "\(users) users; \(figures.count) scenarios, "
            + "\(figures.count { $0.scenario.hasPrefix("kill-") }) kill points; \(figures.count - failed.count) passed, "
            + "\(failed.count) failed")
    for row in failed {
        lines.append("- \(row.scenario): \(row.notes.joined(separator: "; "))")
    }
    return lines.joined(separator: "\n")
}

signal(SIGPIPE, SIG_IGN)
guard let options = parseOptions(Array(CommandLine.arguments.dropFirst())) else {
    let names = Scenario.all.map(\.name).joined(separator: ",")
    FaultSuite.say(
        "usage: ccdirsync-faults [--users N (>= 100)] [--scenarios \(names)] [--figures FILE] [--keep]")
    exit(64)
}
do {
    let figures = try FaultSuite(options).run()
    print(table(figures, users: options.users))
    if let path = options.figures {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(figures).write(to: URL(fileURLWithPath: path))
    }
    exit(figures.allSatisfy(\.passed) ? 0 : 1)
} catch {
    FaultSuite.say("ccdirsync-faults: \(error)")
    exit(1)
}
