import LDAPModel
import Testing

@testable import LDAPClient

@Suite struct WriteSchedulerTests {
    /// Drains the scheduler completing requests in the order given by `completionOrder`
    /// (indices into the currently outstanding list), recording the send order.
    private func run(_ keys: [[String]], window: Int, completeNewestFirst: Bool) -> [Int] {
        var scheduler = WriteScheduler(keys: keys)
        var sent: [Int] = []
        var outstanding: [Int] = []
        while !scheduler.isDone {
            while outstanding.count < window, let index = scheduler.next() {
                sent.append(index)
                outstanding.append(index)
            }
            guard !outstanding.isEmpty else { break }
            let done = completeNewestFirst ? outstanding.removeLast() : outstanding.removeFirst()
            scheduler.complete(done)
        }
        return sent
    }

    @Test(arguments: [1, 2, 8, 32], [false, true])
    func sameDNStaysInOrderAndEverythingIsSentOnce(window: Int, newestFirst: Bool) {
        let keys = (0..<200).map { [["a", "b", "c", "d", "e"][($0 * 7) % 5]] }
        let sent = run(keys, window: window, completeNewestFirst: newestFirst)
        #expect(sent.sorted() == Array(0..<200))
        for dn in ["a", "b", "c", "d", "e"] {
            let order = sent.filter { keys[$0] == [dn] }
            #expect(order == order.sorted(), "requests on \(dn) overtook each other")
        }
    }

    @Test func neverTwoOutstandingOnOneDN() {
        let keys = [["x"], ["x"], ["y"], ["x"], ["y"]]
        var scheduler = WriteScheduler(keys: keys)
        #expect(scheduler.next() == 0)
        #expect(scheduler.next() == 2)
        #expect(scheduler.next() == nil)
        scheduler.complete(0)
        #expect(scheduler.next() == 1)
        #expect(scheduler.next() == nil)
        scheduler.complete(2)
        #expect(scheduler.next() == 4)
        scheduler.complete(1)
        #expect(scheduler.next() == 3)
        scheduler.complete(3)
        scheduler.complete(4)
        #expect(scheduler.isDone)
    }

    @Test func renameHoldsBothNames() {
        // A rename from x to y, then a write on y: the write waits for the rename.
        let keys = [["x", "y"], ["y"], ["z"]]
        var scheduler = WriteScheduler(keys: keys)
        #expect(scheduler.next() == 0)
        #expect(scheduler.next() == 2)
        #expect(scheduler.next() == nil)
        scheduler.complete(0)
        #expect(scheduler.next() == 1)
    }
}

@Suite struct ParentChildOrderingTests {
    static func dn(_ text: String) -> DistinguishedName {
        (try? DistinguishedName(parsing: text)) ?? .root
    }

    @Test func aChildWaitsForItsParentAddedInTheSameBatchAndSiblingsInAnExistingContainerDoNot() {
        let changes: [Change] = [
            .add(Entry(dn: Self.dn("ou=New,o=Org"))),
            .add(Entry(dn: Self.dn("cn=A,ou=New,o=Org"))),
            .add(Entry(dn: Self.dn("cn=B,ou=Existing,o=Org"))),
            .add(Entry(dn: Self.dn("cn=C,ou=Existing,o=Org"))),
        ]
        let keys = LDAPConnection.orderingKeys(changes)
        #expect(keys[1].contains(Self.dn("ou=New,o=Org").normalized))
        #expect(keys[2] == [Self.dn("cn=B,ou=Existing,o=Org").normalized])
        #expect(keys[3] == [Self.dn("cn=C,ou=Existing,o=Org").normalized])
        // With those keys the child is never outstanding together with its parent.
        var scheduler = WriteScheduler(keys: keys)
        var outstanding: [Int] = []
        while let index = scheduler.next() {
            outstanding.append(index)
        }
        #expect(outstanding == [0, 2, 3], "the child is held back until the parent completes")
        scheduler.complete(0)
        #expect(scheduler.next() == 1)
    }

    @Test func aParentDeleteWaitsForEarlierWorkOnItsChildren() {
        let changes: [Change] = [
            .delete(Self.dn("cn=A,ou=Old,o=Org")),
            .modify(Self.dn("cn=B,ou=Old,o=Org"), [.add("description", "x")]),
            .delete(Self.dn("ou=Old,o=Org")),
        ]
        let keys = LDAPConnection.orderingKeys(changes)
        #expect(
            Set(keys[2]).isSuperset(of: [
                Self.dn("cn=A,ou=Old,o=Org").normalized, Self.dn("cn=B,ou=Old,o=Org").normalized,
            ]))
    }
}
