import BrobyggerCore
import BrobyggerPlatformLogic
import Foundation

/// The citizen list (every citizen that opened, in Danish name order) and registering one.
@MainActor
public final class CitizensModel: ScreenModel {
    @Published public private(set) var citizens: [Citizen] = []
    /// Citizens that did not open (damaged or tampered rows), counted, never hidden.
    @Published public private(set) var unreadable: UInt32 = 0
    @Published public var filter = ""

    public var shown: [Citizen] {
        let f = filter.trimmingCharacters(in: .whitespaces)
        guard !f.isEmpty else { return citizens }
        return citizens.filter { $0.nickname.localizedCaseInsensitiveContains(f) || ($0.phoneDisplay ?? "").contains(f) }
    }

    public func load() async {
        await perform {
            let list = try await core.read { try $0.listCitizens() }
            citizens = list.citizens
            unreadable = list.unreadable
        }
    }

    /// Registers a citizen; the core validates and normalises everything. Returns the new one.
    public func add(_ new: NewCitizen) async -> Citizen? {
        var added: Citizen?
        await perform {
            added = try await core.write("citizen") { try $0.addCitizen(citizen: new) }
        }
        if added != nil { await load() }
        return added
    }

    /// Looks a number up through the core's blind index (the list holds no numbers in clear).
    public func findByPhone(_ phone: String) async -> [Citizen] {
        var found: [Citizen] = []
        await perform { found = try await core.read { try $0.findCitizensByPhone(phone: phone) } }
        return found
    }
}

/// One citizen's overview and what can be done from it.
@MainActor
public final class CitizenModel: ScreenModel {
    public let citizenId: String
    @Published public private(set) var overview: CitizenOverview? = nil
    @Published public private(set) var deleted = false
    /// The access-request page waiting for the document picker: the picker shows while set.
    @Published public var pendingExport: PendingExport? = nil
    /// Its temporary copy until deleted (the sheet may clear `pendingExport` itself).
    public private(set) var exportedCopy: URL?

    private let calendar: Calendar
    private let now: () -> Date

    public init(core: CoreClient, citizenId: String, calendar: Calendar = .current, now: @escaping () -> Date = { Date() }) {
        self.citizenId = citizenId
        self.calendar = calendar
        self.now = now
        super.init(core: core)
    }

    public func load() async {
        let id = citizenId
        await perform { overview = try await core.read { try $0.citizenOverview(citizenId: id) } }
    }

    public func edit(_ edit: CitizenEdit) async -> Bool {
        await change { _ = try $0.editCitizen(id: $1, edit: edit) }
    }

    public func giveConsent(_ method: ConsentMethod) async {
        _ = await change { _ = try $0.giveSmsConsent(id: $1, method: method) }
    }

    public func withdrawConsent() async {
        _ = await change { _ = try $0.withdrawSmsConsent(id: $1) }
    }

    public func followUpDone(_ followUpId: String, _ done: Bool) async {
        _ = await change { vault, _ in _ = try vault.setFollowUpDone(followUpId: followUpId, done: done) }
    }

    public func cancel(_ appointmentId: String, by: CancelledBy) async {
        _ = await change { vault, _ in _ = try vault.cancelAppointment(id: appointmentId, by: by) }
    }

    public func confirm(_ appointmentId: String) async {
        _ = await change { vault, _ in _ = try vault.confirmAppointment(id: appointmentId) }
    }

    /// Deletes the citizen beyond recovery (crypto-shredding in the core).
    public func delete() async {
        let id = citizenId
        if await perform({ try await core.write("delete-citizen") { try $0.deleteCitizen(id: id) } }) {
            deleted = true
        }
    }

    /// Everything recorded about the citizen (GDPR art. 15) as the core's one HTML page,
    /// written on the vault's queue to a temporary copy named by the day only
    /// (`indsigt-2026-03-31.html`), then handed to the document picker. The core audits it.
    public func exportAccessRequest() async {
        await exportFinished()
        let (id, language) = (citizenId, words.language)
        let name = ExportNaming.accessRequest(on: WallClock.day(of: now(), calendar: calendar), danish: words.danish)
        var written: URL?
        await perform {
            written = try await core.write("access-request") { (vault: Vault) -> URL in
                try LifecycleFiles.write(try vault.exportCitizen(citizenId: id, language: language), name: name)
            }
        }
        guard let written else { return }
        exportedCopy = written
        pendingExport = PendingExport(url: written)
    }

    /// The picker closed (saved or not) or the screen went: the page in clear is deleted.
    public func exportFinished() async {
        pendingExport = nil
        guard let url = exportedCopy else { return }
        exportedCopy = nil
        await Task.detached(priority: .utility) { LifecycleFiles.remove(url) }.value
    }

    private func change(_ body: @escaping @Sendable (Vault, String) throws -> Void) async -> Bool {
        let id = citizenId
        let ok = await perform { try await core.write("citizen") { try body($0, id) } }
        if ok { await load() }
        return ok
    }
}
