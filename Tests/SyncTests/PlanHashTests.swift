import Crypto
import Foundation
import Sync
import TestSupport
import Testing

@Suite("Plan hash")
struct PlanHashTests {
    @Test("a digest in lower-case hex (FIPS 180-4's \"abc\")")
    func hexDigest() {
        #expect(
            SHA256.hex(of: Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    /// The golden plans' hashes, as recorded: a change to how the plan is hashed (the hasher, the canonical form)
    /// would make every approved hash stale, so it shows here rather than at an operator's `apply`.
    @Test(
        "the golden plans hash to the hashes they were recorded with",
        arguments: [
            ("plan-exchange2000.json", "525d83221b6b5cb9affd30e61737f10d4e263bf986750c257cb18d252204c9ba"),
            ("plan-exchange55.json", "455f38c399df092fd196219453cc15adc3079da086cabad9fac358ba3a474b6c"),
        ])
    func goldenPlanHashes(file: String, recorded: String) throws {
        let url = ProjectPaths.fixtures.appendingPathComponent("expected/\(file)")
        let bytes = try [UInt8](Data(contentsOf: url))
        let plan = try PlanFile.decode(bytes, file: file)
        #expect(plan.planHash == recorded)
        #expect(PlanFile.hash(of: plan) == recorded)
    }
}
