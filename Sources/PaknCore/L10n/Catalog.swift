/// Every message pakn shows, in Vietnamese and English. Split by feature so each area
/// owns its file; a test checks that keys are unique and placeholders match.
public enum Catalog {
    public typealias Entry = (vi: String, en: String)

    /// All sections; a key must appear in only one.
    public static let sections: [[String: Entry]] = [core, workflow, storeMessages, cliMessages, deskMessages, trustMessages, terminalMessages, scaleMessages,
                                                    clockMessages, calendarMessages, templateMessages, templateDeskMessages, unitsMessages, adminScopeMessages,
                                                    robustMessages, robustDatabaseMessages, adminTrustMessages, statsMessages, deskHabitsMessages, installMessages,
                                                    engineMessages, serverMessages, intakeMessages, deskViewsMessages, serverSessionMessages, open311Messages]

    public static let entries: [String: Entry] = {
        var all: [String: Entry] = [:]
        for section in sections { all.merge(section) { first, _ in first } }
        return all
    }()
}
