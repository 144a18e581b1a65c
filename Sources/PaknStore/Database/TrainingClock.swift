import Foundation
import GRDB
import PaknCore

/// A training database keeps the day it was made for (`pakn demo`, at `--now` or the time
/// it ran): without `--now`, every command and desk on it runs at that time, so a class
/// sees the same overdue figures whether or not `--now` is given (issue 15).
extension AppDatabase {
    package static let trainingClockKey = "training_now"

    /// The training database's "now", if it is one and has it.
    func trainingClock() throws -> Date? {
        guard try isTraining(), let text = try setting(Self.trainingClockKey) else { return nil }
        return ISO8601.parse(text)
    }

    /// Records the training database's "now" (`pakn demo`). Refused on a real database.
    func setTrainingClock(_ now: Date) throws {
        guard try isTraining() else { throw StoreError.notTrainingDatabase(option: "--now") }
        try write { try AppDatabase.setSetting($0, Self.trainingClockKey, ISO8601.format(now)) }
    }
}
