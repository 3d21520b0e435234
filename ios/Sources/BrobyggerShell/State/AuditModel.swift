import BrobyggerCore
import Foundation

/// The audit log: the core's check of the chain at the top (`auditVerify`), then the entries
/// newest first, a page at a time (`auditList` with the previous page's `nextBefore`), each
/// in the core's words.
@MainActor
public final class AuditModel: ScreenModel {
    @Published public private(set) var check: AuditCheck? = nil
    @Published public private(set) var entries: [AuditEntry] = []
    /// Entries that did not open, over the pages read so far (counted, never hidden).
    @Published public private(set) var unreadable: UInt32 = 0
    /// Where the next (older) page starts; nil when the oldest entry is shown.
    @Published public private(set) var nextBefore: UInt64? = nil

    public let pageSize: UInt32

    public init(core: CoreClient, pageSize: UInt32 = 50) {
        self.pageSize = pageSize
        super.init(core: core)
    }

    public var hasMore: Bool { nextBefore != nil }

    /// The check and the newest page, afresh.
    public func load() async {
        let (language, limit) = (words.language, pageSize)
        await perform {
            let check = try await core.read { try $0.auditVerify(language: language) }
            let page = try await core.read { try $0.auditList(before: nil, limit: limit, language: language) }
            self.check = check
            entries = page.entries
            unreadable = page.unreadable
            nextBefore = page.nextBefore
        }
    }

    /// The next older page, appended; nothing while a load runs or when none is left.
    public func loadMore() async {
        guard let before = nextBefore, !busy else { return }
        let (language, limit) = (words.language, pageSize)
        await perform {
            let page = try await core.read { try $0.auditList(before: before, limit: limit, language: language) }
            // A reload meanwhile started over: this page belongs to the old list.
            guard nextBefore == before else { return }
            entries += page.entries
            unreadable += page.unreadable
            nextBefore = page.nextBefore
        }
    }
}
