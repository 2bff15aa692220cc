import FuzzTargets

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

#if FUZZING
    /// libFuzzer's driver (in libclang_rt.fuzzer, linked by `-sanitize=fuzzer`). SwiftPM points the executable's
    /// `main` at this module's entry point, so libFuzzer's own `main` is not used: `FuzzMain` calls the driver.
    @_silgen_name("LLVMFuzzerRunDriver")
    func LLVMFuzzerRunDriver(
        _ argc: UnsafeMutablePointer<Int32>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
    ) -> Int32

    /// The target this libFuzzer process runs, named by `CCDIRSYNC_FUZZ_TARGET` (see `make fuzz`).
    let selectedTarget: FuzzTarget = {
        let name = getenv("CCDIRSYNC_FUZZ_TARGET").map { String(cString: $0) } ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
            fatalError("set CCDIRSYNC_FUZZ_TARGET to one of \(names) (it is '\(name)')")
        }
        return target
    }()

    /// libFuzzer's entry point: one input. A property violation is a crash, so libFuzzer keeps the input.
    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
        let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
        do {
            try selectedTarget.run(bytes)
        } catch {
            fatalError(error.description)
        }
        return 0
    }

    @main
    struct FuzzMain {
        static func main() {
            _ = selectedTarget
            var argc = CommandLine.argc
            var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = CommandLine.unsafeArgv
            exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput))
        }
    }
#else
    /// Without `-D FUZZING` (the normal build) this is a replay tool: `ccdirsync-fuzz <target> <file>…` runs each
    /// file through the target once, as libFuzzer would, and exits 1 when a property does not hold.
    @main
    struct FuzzReplay {
        static func main() {
            let arguments = CommandLine.arguments.dropFirst()
            guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
                let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")
                print("usage: ccdirsync-fuzz <\(names)> <file>…  (make fuzz builds the libFuzzer version)")
                exit(2)
            }
            var failed = false
            for path in arguments.dropFirst() {
                guard let bytes = readFile(path) else {
                    print("\(path): cannot read")
                    failed = true
                    continue
                }
                do {
                    try target.run(bytes)
                    print("\(path): ok")
                } catch {
                    print("\(path): \(error)")
                    failed = true
                }
            }
            exit(failed ? 1 : 0)
        }

        static func readFile(_ path: String) -> [UInt8]? {
            guard let file = fopen(path, "rb") else {
                return nil
            }
            defer { fclose(file) }
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = fread(&buffer, 1, buffer.count, file)
                bytes += buffer[0..<count]
                if count < buffer.count {
                    return ferror(file) == 0 ? bytes : nil
                }
            }
        }
    }
#endif
