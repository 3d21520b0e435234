import Foundation

/// The bookkeeping of a draft saved as it is typed: every edit gets a revision, one save
/// runs at a time, and an edit made while a save runs is saved after it, so the last thing
/// typed is always the last thing saved. The timing (the debounce) is the caller's.
public struct AutosaveState<Content: Equatable & Sendable>: Equatable, Sendable {
    public private(set) var content: Content
    public private(set) var revision = 0
    public private(set) var savedRevision = 0
    public private(set) var inFlight: Int?
    public private(set) var lastFailed = false

    public init(content: Content) {
        self.content = content
    }

    /// Something typed or picked that is not saved yet.
    public var isDirty: Bool { savedRevision != revision }

    public mutating func edit(_ content: Content) {
        guard content != self.content else { return }
        self.content = content
        revision += 1
    }

    /// The revision and content to save now; nil when a save is running or nothing changed.
    public mutating func beginSave() -> (revision: Int, content: Content)? {
        guard inFlight == nil, isDirty else { return nil }
        inFlight = revision
        return (revision, content)
    }

    /// Ends the running save. After a failure the content stays dirty and is tried again.
    public mutating func finishSave(revision saved: Int, succeeded: Bool) {
        guard inFlight == saved else { return }
        inFlight = nil
        lastFailed = !succeeded
        if succeeded { savedRevision = max(savedRevision, saved) }
    }
}
