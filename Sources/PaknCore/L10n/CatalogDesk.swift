extension Catalog {
    static let deskMessages: [String: Entry] = [
        :
    ]
}
