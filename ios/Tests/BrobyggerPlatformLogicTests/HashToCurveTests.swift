@testable import BrobyggerPlatformLogic
import CryptoKit
import XCTest

final class HashToCurveTests: XCTestCase {
    private let input = Data((0..<32).map { UInt8($0) })

    func testCandidateIsPrefixAndHashOfInputAndBigEndianCounter() {
        let c = HashToCurve.candidate(input: input, counter: 0x0102_0304)
        var expected = Data(input)
        expected.append(contentsOf: [0x01, 0x02, 0x03, 0x04])
        XCTAssertEqual(c.first, 0x02)
        XCTAssertEqual(c.count, 33)
        XCTAssertEqual(Data(c.dropFirst()), Data(SHA256.hash(data: expected)))
    }

    func testTakesTheFirstCounterTheDecoderAccepts() throws {
        let wanted = HashToCurve.candidate(input: input, counter: 3)
        var tried: [Data] = []
        let (counter, point) = try HashToCurve.firstPoint(input: input) { (encoded: Data) -> Data? in
            tried.append(encoded)
            return encoded == wanted ? encoded : nil
        }
        XCTAssertEqual(counter, 3)
        XCTAssertEqual(point, wanted)
        XCTAssertEqual(tried, (0...3).map { HashToCurve.candidate(input: input, counter: $0) })
    }

    func testGivesUpAfterTheBoundInsteadOfLooping() {
        var calls: UInt32 = 0
        XCTAssertThrowsError(try HashToCurve.firstPoint(input: input) { (_: Data) -> Data? in
            calls += 1
            return nil
        }) { XCTAssertEqual($0 as? HashToCurve.Exhausted, HashToCurve.Exhausted()) }
        XCTAssertEqual(calls, HashToCurve.maxAttempts)
    }

    func testFieldElementBoundary() {
        let p = Data([0x02] + HashToCurve.fieldPrime)
        var belowP = HashToCurve.fieldPrime
        belowP[31] -= 1
        XCTAssertFalse(HashToCurve.isFieldElement(p))
        XCTAssertTrue(HashToCurve.isFieldElement(Data([0x02] + belowP)))
        XCTAssertFalse(HashToCurve.isFieldElement(Data([0x02, 0x00])))
    }

    func testRealCurvePointsAreFoundAndAreDeterministic() throws {
        var counters: Set<UInt32> = []
        for seed in 0..<64 {
            let i = Data(SHA256.hash(data: Data([UInt8(seed)])))
            let (counter, point) = try HashToCurve.firstPoint(input: i) {
                try? P256.KeyAgreement.PublicKey(compressedRepresentation: $0)
            }
            counters.insert(counter)
            XCTAssertEqual(point.compressedRepresentation, HashToCurve.candidate(input: i, counter: counter))
            XCTAssertEqual(try HashToCurve.point(for: i).rawRepresentation, point.rawRepresentation)
        }
        // About half the candidates miss the curve, so some inputs need more than one try.
        XCTAssertTrue(counters.contains { $0 > 0 })
    }

    func testPinFactorDependsOnKeyAndInputAndIsStable() throws {
        let a = P256.KeyAgreement.PrivateKey()
        let b = P256.KeyAgreement.PrivateKey()
        let other = Data(repeating: 7, count: 32)
        let fa = try HashToCurve.pinFactor(input: input) { try a.sharedSecretFromKeyAgreement(with: $0) }
        XCTAssertEqual(fa.count, 32)
        XCTAssertEqual(fa, try HashToCurve.pinFactor(input: input) { try a.sharedSecretFromKeyAgreement(with: $0) })
        XCTAssertNotEqual(fa, try HashToCurve.pinFactor(input: input) { try b.sharedSecretFromKeyAgreement(with: $0) })
        XCTAssertNotEqual(fa, try HashToCurve.pinFactor(input: other) { try a.sharedSecretFromKeyAgreement(with: $0) })
    }
}
