extension Catalog {
    static let storeMessages: [String: Entry] = [
        :
    ]
}
