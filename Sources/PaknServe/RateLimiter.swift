import Foundation

/// How many requests a client may make: `perSecond` on average, `burst` at once (a token
/// bucket). Zero `perSecond`: no limit.
public struct RateLimit: Sendable, Equatable {
    public var perSecond: Double
    public var burst: Double
    public init(perSecond: Double, burst: Double) { self.perSecond = perSecond; self.burst = burst }
    public var unlimited: Bool { perSecond <= 0 }
}

/// Token buckets per client (an address, a key). A refused request costs nothing; the
/// answer says how long to wait.
final class RateLimiter: @unchecked Sendable {
    let limit: RateLimit
    private let lock = NSLock()
    private var buckets: [String: (tokens: Double, at: Double)] = [:]

    init(_ limit: RateLimit) { self.limit = limit }

    /// nil: allowed; else the seconds to wait.
    func take(_ client: String, now: Double = Date().timeIntervalSinceReferenceDate) -> Int? {
        if limit.unlimited { return nil }
        lock.lock(); defer { lock.unlock() }
        var b = buckets[client] ?? (limit.burst, now)
        b.tokens = min(limit.burst, b.tokens + (now - b.at) * limit.perSecond)
        b.at = now
        if b.tokens >= 1 {
            b.tokens -= 1
            buckets[client] = b
            return nil
        }
        buckets[client] = b
        if buckets.count > 50_000 { buckets = buckets.filter { now - $0.value.at < limit.burst / limit.perSecond } }
        return max(1, Int(((1 - b.tokens) / limit.perSecond).rounded(.up)))
    }
}
