import Foundation
import PaknCore
import PaknStore

/// Names, streets and case templates for realistic Vietnamese training cases
/// (Resources/demo-corpus.json).
public struct DemoCorpus: Decodable, Sendable {
    public struct Template: Decodable, Sendable {
        public var title: String
        public var body: String
    }

    public var family_names: [String]
    public var middle_names_male: [String]
    public var middle_names_female: [String]
    public var given_names_male: [String]
    public var given_names_female: [String]
    public var streets: [String]
    /// Streets that really lie in a ward (by its statistics-office code), so a training case
    /// in Hoàn Kiếm is about a street in Hoàn Kiếm; other wards use `streets`.
    public var streets_by_ward: [String: [String]] = [:]
    public var landmarks: [String]
    public var cases: [String: [Template]]

    public static func load() throws -> DemoCorpus { try BundledData.decode(DemoCorpus.self, "demo-corpus.json") }

    public func personName(_ rng: inout SeededRandom) -> String {
        let male = rng.chance(0.5)
        return [rng.pick(family_names), rng.pick(male ? middle_names_male : middle_names_female),
                rng.pick(male ? given_names_male : given_names_female)].joined(separator: " ")
    }

    /// A street in the ward when the corpus knows its streets, else any street of the city.
    public func street(inWard code: String?, _ rng: inout SeededRandom) -> String {
        if let code, let local = streets_by_ward[code], !local.isEmpty { return rng.pick(local) }
        return rng.pick(streets)
    }

    /// Fills a template's placeholders; `{street}` is a street of `ward` when known.
    public func fill(_ text: String, ward: String? = nil, _ rng: inout SeededRandom) -> String {
        var s = text
        for key in ["{street}", "{landmark}", "{days}", "{number}", "{time}"] {
            while let r = s.range(of: key) {
                let value: String
                switch key {
                case "{street}": value = street(inWard: ward, &rng)
                case "{landmark}": value = rng.pick(landmarks)
                case "{days}": value = String(rng.int(2...20))
                case "{number}": value = String(rng.int(1...250))
                default: value = String(format: "%02d:%02d", rng.int(18...23), rng.pick([0, 15, 30, 45]))
                }
                s.replaceSubrange(r, with: value)
            }
        }
        return s
    }
}
