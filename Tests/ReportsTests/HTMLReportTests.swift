import Sync
import Testing

@testable import Reports

@Suite("Reports: HTML")
struct HTMLReportTests {
    @Test(
        "a hostile value appears only escaped; the page's own script is the only one",
        arguments: SamplePlan.hostileNames)
    func hostile(name: String) {
        let html = HTMLReport.render(SamplePlan.hostile(name))
        #expect(Read.count("<script", in: html) == 1)
        #expect(Read.count("</script", in: html) == 1)
        #expect(!html.contains("<b>") && !html.contains("\u{1B}") && !html.contains("\u{202E}"))
        if name.contains(where: { "<>&\"'".contains($0) }) {
            #expect(!html.contains(name), "the raw value never appears")
        }
        let escaped = HTMLReport.escape(Wording.visible(name))
        #expect(html.contains("<td>\(escaped)</td>"), "the name, escaped, in its own cell")
        #expect(Read.count("<table", in: html) == Read.count("</table>", in: html))
        #expect(Read.count("<tr>", in: html) == Read.count("</tr>", in: html))
        #expect(Read.count("<code", in: html) == Read.count("</code>", in: html))
    }

    @Test("escape turns the five HTML metacharacters into entities and leaves the rest")
    func escape() {
        #expect(
            HTMLReport.escape("<a href='x'>\"Müller\" & Co</a>")
                == "&lt;a href=&#39;x&#39;&gt;&quot;Müller&quot; &amp; Co&lt;/a&gt;")
    }

    @Test(
        "nothing external: no URL, source, link, import or font", arguments: [SamplePlan.plan, SamplePlan.hostile("x")])
    func selfContained(plan: Plan) {
        let html = HTMLReport.render(plan)
        for reference in ["src=", "href=", "url(", "@import", "@font-face", "https://", "<link", "<img", "<iframe"] {
            #expect(Read.count(reference, in: html) == 0, "\(reference)")
        }
        let urls = html.split(separator: "http://", omittingEmptySubsequences: false).dropFirst()
        #expect(
            html.split(separator: "http://", omittingEmptySubsequences: false).dropLast().allSatisfy {
                $0.hasSuffix("&quot;")
            } && urls.allSatisfy { $0.hasPrefix("evil.example&quot;") },
            "the only http:// is inside the escaped hostile name")
        #expect(
            html.contains(
                "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
                    + "script-src 'unsafe-inline'\">"))
    }

    @Test("filter boxes: one per table, hidden until the script shows them")
    func filters() {
        let html = HTMLReport.render(SamplePlan.plan)
        let boxes = Read.count("<input class=\"filter\"", in: html)
        #expect(boxes == 18, "8 change situations and 10 finding situations")
        #expect(Read.count("\" hidden>\n<table id=\"t", in: html) == boxes)
        #expect(html.contains("box.hidden = false;"))
        #expect(html.contains("Over threshold: deletes: 2 &gt; 1."))
    }

    @Test("a modify shows each attribute before (removed struck) and after (added marked)")
    func beforeAfter() {
        let html = HTMLReport.render(SamplePlan.plan)
        let otherValues = "<br><span class=\"none\">otherMailbox: (its other values stay as they are)</span>"
        let smith =
            "<td><code>otherMailbox: SMTP$jsmith@example.org</code><br>"
            + "<del><code>otherMailbox: MIGRATE$CCMAIL:Smith, John at PARIS</code></del>\(otherValues)</td>"
            + "<td><code>otherMailbox: SMTP$jsmith@example.org</code><br>"
            + "<ins><code>otherMailbox: MIGRATE$CCMAIL:Smith, John at LONDON</code></ins>\(otherValues)</td>"
        #expect(html.contains(smith))
        #expect(html.contains("<td><span class=\"none\">(no entry)</span></td>"))
        #expect(html.contains("<td><span class=\"none\">(entry deleted)</span></td>"))
    }

    @Test("a MIGRATE add on a mailbox says that its other proxy values stay, rather than (none)")
    func otherValuesStay() {
        let html = HTMLReport.render(SamplePlan.plan)
        let note = "<span class=\"none\">otherMailbox: (its other values stay as they are)</span>"
        let muller =
            "<td>\(note)</td><td><ins><code>otherMailbox: MIGRATE$CCMAIL:Müller, Jürgen at ZURICH</code></ins><br>"
            + "\(note)</td></tr>"
        #expect(html.contains(muller), "\(html)")
        let row = html.split(separator: "\n").first { $0.contains("<td>Müller, Jürgen</td>") } ?? ""
        #expect(!row.contains("(none)"), "\(row)")
    }

    @Test("long DNs and addresses break at commas and spaces, never inside a word that fits")
    func lineBreaks() {
        let html = HTMLReport.render(SamplePlan.plan)
        #expect(!html.contains("break-all"), "break-all splits ZU|RICH")
        #expect(html.contains("code{font-family:ui-monospace,monospace;white-space:pre-wrap;overflow-wrap:anywhere}"))
        #expect(html.contains("<code>cn=Müller\\, Jürgen,<wbr>cn=Recipients,<wbr>ou=Site,<wbr>o=Org</code>"))
        #expect(HTMLReport.breakable("a,b, c,") == "a,<wbr>b, c,")
        #expect(HTMLReport.breakable("ZURICH") == "ZURICH")
    }

    @Test("marks follow the attribute: a value deleted from one attribute stays in another")
    func marksPerAttribute() {
        let change = Plan.Change(
            kind: .modify, dn: "cn=A,o=Org", ccmailName: "A", situation: .recipientChanged, rule: .ownRecipient,
            modifications: [
                .init(op: .delete, attribute: "OTHERMAILBOX", values: ["x", "unread"]),
                .init(op: .add, attribute: "cn", values: ["y", "KEPT"]),
            ],
            before: ["otherMailbox": ["X", "z"], "cn": ["x", "kept"]])
        typealias Cell = HTMLReport.Cell
        #expect(
            HTMLReport.before(change) == [
                Cell(attribute: "cn", value: "x", mark: .kept), Cell(attribute: "cn", value: "kept", mark: .kept),
                Cell(attribute: "otherMailbox", value: "X", mark: .removed),
                Cell(attribute: "otherMailbox", value: "z", mark: .kept),
                Cell(attribute: "OTHERMAILBOX", value: "unread", mark: .removed),
            ])
        #expect(
            HTMLReport.after(change) == [
                Cell(attribute: "cn", value: "x", mark: .kept), Cell(attribute: "cn", value: "kept", mark: .kept),
                Cell(attribute: "cn", value: "y", mark: .added),
                Cell(attribute: "otherMailbox", value: "z", mark: .kept),
            ])
    }

    @Test("a delete without values strikes every value and leaves none")
    func deleteEveryValue() {
        let change = Plan.Change(
            kind: .modify, dn: "cn=A,o=Org", ccmailName: "A", situation: .undo, rule: .journal,
            modifications: [.init(op: .delete, attribute: "otherMailbox", values: [])],
            before: ["otherMailbox": ["a", "b"]])
        #expect(HTMLReport.before(change).allSatisfy { $0.mark == .removed })
        #expect(HTMLReport.after(change).isEmpty)
        var unread = change
        unread.before = [:]
        #expect(HTMLReport.before(unread) == [.init(attribute: "otherMailbox", value: "(every value)", mark: .removed)])
    }
}
