import CryptoKit
import Foundation

/// The public point the PIN factor's key agreement runs against, derived from the core's
/// input by try-and-increment: SHA-256(input ‖ counter) is read as an x-coordinate and
/// `0x02 ‖ x` decoded as a compressed P-256 point, counting up until one is on the curve.
/// Nobody knows the point's discrete logarithm, so SHA-256 of the shared secret with it can
/// only be computed by whoever holds the private key (the Secure Enclave), once per guess.
public enum HashToCurve {
    /// Each counter hits the curve with probability about 1/2; 256 misses in a row happen
    /// with probability 2^-256, and then the key store reports a failure instead of looping.
    public static let maxAttempts: UInt32 = 256

    /// P-256's field prime p, big-endian: an x at or above it is not a field element.
    public static let fieldPrime: [UInt8] = [
        0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    ]

    public struct Exhausted: Error, Equatable {}

    /// The compressed encoding tried for `counter`: 0x02 ‖ SHA-256(input ‖ counter as 4 bytes, big-endian).
    public static func candidate(input: Data, counter: UInt32) -> Data {
        var hash = SHA256()
        hash.update(data: input)
        hash.update(data: withUnsafeBytes(of: counter.bigEndian) { Data($0) })
        return Data([0x02]) + Data(hash.finalize())
    }

    /// Whether the 32 bytes after the prefix are below p (compared as big-endian numbers).
    public static func isFieldElement(_ encoded: Data) -> Bool {
        let x = [UInt8](encoded.dropFirst())
        return x.count == fieldPrime.count && x.lexicographicallyPrecedes(fieldPrime)
    }

    /// The first counter whose candidate `decode` accepts. `decode` is CryptoKit's point
    /// decoder in the key store and a stand-in in tests.
    public static func firstPoint<Point>(
        input: Data, decode: (Data) -> Point?
    ) throws -> (counter: UInt32, point: Point) {
        for counter in 0..<maxAttempts {
            let encoded = candidate(input: input, counter: counter)
            if isFieldElement(encoded), let point = decode(encoded) {
                return (counter, point)
            }
        }
        throw Exhausted()
    }

    /// The point for `input` on P-256.
    public static func point(for input: Data) throws -> P256.KeyAgreement.PublicKey {
        try firstPoint(input: input) { try? P256.KeyAgreement.PublicKey(compressedRepresentation: $0) }.point
    }

    /// SHA-256 of the raw ECDH shared secret: the PIN factor handed back to the core.
    public static func pinFactor(input: Data, agree: (P256.KeyAgreement.PublicKey) throws -> SharedSecret) throws -> Data {
        let shared = try agree(point(for: input))
        return Data(SHA256.hash(data: shared.withUnsafeBytes { Data($0) }))
    }
}
