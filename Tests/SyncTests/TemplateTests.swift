import CCMail
import Testing

@testable import Sync

/// The config's templates, rendered for one user: placeholders, the spaces a missing value leaves, X.400 escaping.
@Suite("Template")
struct TemplateTests {
    private func user(_ name: String, at postOffice: String = "LONDON") -> CCMailUser {
        CCMailUser(name: CCMailName(name), kind: .user, homePostOffice: CCMailName(postOffice))
    }

    @Test("every placeholder takes its value from the user, the alias from the caller")
    func placeholders() {
        let template = Template(text: "{sur}|{given}|{given1}|{name}|{po}|{alias}")
        #expect(
            template.render(user: user("Müller, Jörg", at: "BERLIN"), alias: "jmuller")
                == "Müller|Jörg|J|Müller, Jörg|BERLIN|jmuller")
    }

    @Test("a missing given name leaves no stray spaces: leading, trailing and doubled spaces are collapsed")
    func missingValuesCollapse() {
        let template = Template(text: " {given}  {sur} ({given1}) ")
        #expect(template.render(user: user("Postmaster"), alias: nil) == "Postmaster ()")
        #expect(template.render(user: user("Smith, John"), alias: nil) == "John Smith (J)")
    }

    @Test("text that is not a placeholder stays as written, an unclosed brace included")
    func literalBraces() {
        let template = Template(text: "{unknown}-{sur}-{given")
        #expect(template.render(user: user("Smith, John"), alias: nil) == "{unknown}-Smith-{given")
    }

    @Test("the X.400 template turns ; and = in values into ?, and leaves its own text alone")
    func x400Escaping() {
        let template = Template.x400("c=US;a= ;p=Org;s={sur};g={given};")
        #expect(
            template.render(user: user("Smith;x=1, John=Q"), alias: nil) == "c=US;a= ;p=Org;s=Smith?x?1;g=John?Q;")
    }
}
