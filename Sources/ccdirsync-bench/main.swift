import Foundation

/// `ccdirsync-bench`: performance figures for `make bench`, one subcommand per measured component.
///
/// A plain switch over the arguments keeps this executable free of dependencies beyond the modules it measures;
/// later benchmarks add a case here and a file of their own.
let usage = """
    usage: ccdirsync-bench <benchmark> [options]

    benchmarks:
      parse [--users N] [--runs K]   parse (and merge) a generated CP850 export of N users (default 100000),
                                     K times (default 7); prints the median time and MB/s
      sync [--users N] [--runs K] [--flavour F] [--doc FILE]
                                     ccdirsync's read, plan, apply and no-op sync against ldapsearch and
                                     ldapmodify on identical copies of a generated directory; prints a table
                                     (and appends it to FILE)
      sync-ad [--users N] [--runs K] [--doc FILE]
                                     the same read, plan and apply on Samba AD (exchange2000, ldaps), N
                                     default 5000, against ldapsearch and ldapmodify, end states compared;
                                     prints a table (and puts it in FILE)
      read --config F                one Exchange read (a step of sync)
      plan-offline --config F --seed LDIF [--out PLAN]
                                     plan computation without the LDAP read (a step of sync)
      serve --seed LDIF [--flavour F]
                                     a throwaway slapd loaded with LDIF, for profiling by hand: prints a
                                     config fragment (url, bindDN, passwordFile) and runs until stdin closes
    """

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "parse":
    exit(ParseBenchmark.main(Array(arguments.dropFirst())))
case "sync":
    exit(SyncBenchmark.main(Array(arguments.dropFirst())))
case "sync-ad":
    exit(SambaADBenchmark.main(Array(arguments.dropFirst())))
case "read":
    exit(StepRunners.read(Array(arguments.dropFirst())))
case "plan-offline":
    exit(StepRunners.planOffline(Array(arguments.dropFirst())))
case "serve":
    exit(StepRunners.serve(Array(arguments.dropFirst())))
case "-h", "--help", "help":
    print(usage)
case nil:
    FileHandle.standardError.write(Data((usage + "\n").utf8))
    exit(64)
case let other?:
    FileHandle.standardError.write(Data("ccdirsync-bench: unknown benchmark '\(other)'\n\n\(usage)\n".utf8))
    exit(64)
}
