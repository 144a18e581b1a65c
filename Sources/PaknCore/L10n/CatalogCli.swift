extension Catalog {
    static let cliMessages: [String: Entry] = [
        :
    ]
}
