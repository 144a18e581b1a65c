import Foundation
@testable import PaknPostgres
import PostgresNIO
import Testing

/// A statement whose connection closes without an answer is given up as a lost connection
/// (`ServerDB.answer`), so the session makes a new one instead of waiting for ever; on a live
/// connection an answer is waited for however late it comes.
@Suite struct StatementAnswerTests {
    @Test func aStatementWhoseConnectionClosedWithoutAnswerIsLostAndALateAnswerIsWaitedFor() throws {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let never = loop.makePromise(of: Int.self)
        defer { never.succeed(0) }
        #expect(throws: ConnectionClosedUnderStatement.self) {
            _ = try ServerDB.answer(never.futureResult, isClosed: { true }, poll: 0.01, grace: 0.05)
        }
        #expect(ServerError.isConnectionLost(ConnectionClosedUnderStatement()))
        #expect(SessionDBError(ConnectionClosedUnderStatement()).isConnectionLost)

        // Live: a late answer, and a failure as it came.
        let late = loop.makePromise(of: Int.self)
        loop.scheduleTask(in: .milliseconds(100)) { late.succeed(7) }
        #expect(try ServerDB.answer(late.futureResult, isClosed: { false }, poll: 0.01, grace: 0.05) == 7)
        struct Refused: Error {}
        let failed = loop.makePromise(of: Int.self)
        failed.fail(Refused())
        #expect(throws: Refused.self) { _ = try ServerDB.answer(failed.futureResult, isClosed: { false }) }
        // Closed, but the answer came: it is the answer.
        let answered = loop.makePromise(of: Int.self)
        answered.succeed(3)
        #expect(try ServerDB.answer(answered.futureResult, isClosed: { true }, poll: 0.01, grace: 0.05) == 3)
    }
}
