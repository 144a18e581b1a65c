import Foundation
import Testing
@testable import PaknCore

@Suite("Reporter masking")
struct MaskTests {
    static let full = Reporter(id: 55, name: "Nguyễn Thị Hồng Nhung", phone: "0912345678",
                               email: "nhung.nguyen@gmail.com", address: "Số 12 ngõ 5 phố Hàng Bạc, phường Hoàn Kiếm",
                               nationalId: "001190012345")

    /// Everything personal a reporter carries, to look for in masked output.
    static func secrets(_ r: Reporter) -> [String] {
        [r.phone, r.email, r.address, r.nationalId].compactMap { $0 }
            + (r.name?.split(separator: " ").map(String.init).filter { $0.count > 1 } ?? [])
    }

    @Test("Anonymous and confidential reporters show nothing but their id",
          arguments: [(true, false), (false, true), (true, true)])
    func sealed(anonymous: Bool, confidential: Bool) throws {
        var r = Self.full
        r.anonymous = anonymous
        r.confidential = confidential
        let m = r.masked()
        #expect(m.id == r.id)
        #expect(m.name == nil && m.phone == nil && m.email == nil && m.address == nil && m.nationalId == nil)
        #expect(m.anonymous == anonymous && m.confidential == confidential)
        let json = String(decoding: try JSONEncoder().encode(m), as: UTF8.self)
        for s in Self.secrets(r) { #expect(!json.contains(s), "\(s) leaked") }
    }

    @Test func normalReporterKeepsJustEnoughToTellPeopleApart() throws {
        let r = Self.full
        let m = r.masked()
        #expect(m.id == 55)
        #expect(!m.anonymous && !m.confidential)
        // No personal value survives whole.
        let json = String(decoding: try JSONEncoder().encode(m), as: UTF8.self)
        for s in Self.secrets(r) { #expect(!json.contains(s), "\(s) leaked: \(json)") }

        // Name: initials only, in order, family name first.
        let name = try #require(m.name)
        let initials = name.filter { $0.isLetter }
        #expect(String(initials) == "NTHN")
        #expect(name.hasPrefix("N"))
        // Phone and national id: only the last three digits are visible, length kept.
        let phone = try #require(m.phone)
        #expect(phone.count == r.phone!.count)
        #expect(phone.hasSuffix("678"))
        #expect(phone.dropLast(3).allSatisfy { $0 == "*" })
        let nid = try #require(m.nationalId)
        #expect(nid.hasSuffix("345") && nid.dropLast(3).allSatisfy { $0 == "*" })
        // Email: the domain stays (it tells a work address from a personal one), the mailbox does not.
        let email = try #require(m.email)
        #expect(email.hasSuffix("@gmail.com"))
        #expect(!email.contains("nhung"))
        // Address: nothing of it.
        let address = try #require(m.address)
        #expect(!address.contains(where: { $0.isLetter || $0.isNumber }))
    }

    @Test func missingFieldsStayMissing() {
        let m = Reporter(id: 3, phone: "0243825xxxx").masked()
        #expect(m.name == nil && m.email == nil && m.address == nil && m.nationalId == nil)
        #expect(m.phone != nil)
    }

    @Test("Decomposed (NFD) names are masked by whole letters",
          arguments: ["Ưng Đức Ánh", "Ưng Đức Ánh".decomposedStringWithCanonicalMapping])
    func decomposedNames(text: String) throws {
        let m = try #require(Reporter(name: text).masked().name)
        let letters = m.filter { $0.isLetter }
        // Canonical equivalence: the NFD and NFC inputs give the same initials, marks included.
        #expect(String(letters) == "ƯĐÁ")
        // No dangling combining mark without its base letter.
        for ch in m {
            #expect(ch.unicodeScalars.first!.properties.generalCategory != .nonspacingMark, "dangling mark in \(m)")
        }
        #expect(!m.contains("ng") && !m.contains("ức") && !m.contains("nh"))
    }

    @Test func oddNames() {
        #expect(Mask.name("") == "***")
        #expect(Mask.name("   ") == "***")
        #expect(!Mask.name("Lan").contains("an"))
        #expect(Mask.name("Lan").hasPrefix("L"))
        // Extra spaces do not produce empty initials.
        #expect(Mask.name("  Trần   Văn  Ba ").filter { $0.isLetter } == "TVB")
    }

    @Test("Short phone numbers hide everything", arguments: ["", "1", "12", "113"])
    func shortPhones(text: String) {
        #expect(Mask.phone(text) == "***")
    }

    @Test func emailWithoutAtHidesEverything() {
        #expect(Mask.email("khong-co-a-cong") == "***")
    }

    // MARK: Denunciations

    @Test("Denunciation cases are always confidential", arguments: [false, true])
    func denunciationsConfidential(flag: Bool) {
        let c = Case(id: 1, code: "HN-2026-000001", title: "Tố cáo cán bộ địa chính nhận tiền",
                     body: "Ông Trần Văn B, cán bộ địa chính phường, nhận tiền để cấp giấy chứng nhận.",
                     kind: .denunciation, category: "dat_dai", channel: .walkIn, reporterId: 9, confidential: flag,
                     receivedAt: Fx.receivedAt,
                     deadline: Deadline(rule: Fx.rule, start: Fx.day("2026-02-02"), complex: false, remote: false),
                     dueAt: Fx.receivedAt, updatedAt: Fx.receivedAt)
        #expect(c.confidential)
        #expect(CaseKind.denunciation.alwaysConfidential)
    }

    @Test("Other kinds keep what intake said", arguments: CaseKind.allCases.filter { $0 != .denunciation })
    func otherKindsFollowIntake(kind: CaseKind) {
        #expect(!kind.alwaysConfidential)
        for flag in [false, true] {
            var c = Fx.newCase(kind: kind)
            #expect(!c.confidential)
            c = Case(id: c.id, code: c.code, title: c.title, body: c.body, kind: kind, category: c.category,
                     channel: c.channel, confidential: flag, receivedAt: c.receivedAt, deadline: c.deadline,
                     dueAt: c.dueAt, updatedAt: c.updatedAt)
            #expect(c.confidential == flag)
        }
    }

    @Test func decodedDenunciationIsConfidential() throws {
        var c = Fx.newCase(kind: .denunciation)
        c.confidential = false   // as a store row or an import might carry it
        let data = try JSONEncoder().encode(c)
        let decoded = try JSONDecoder().decode(Case.self, from: data)
        #expect(decoded.confidential)
    }
}
