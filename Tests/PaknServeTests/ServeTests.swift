import XCTest
@testable import PaknServe
