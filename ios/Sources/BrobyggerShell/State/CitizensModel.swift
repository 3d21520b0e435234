import BrobyggerCore
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

    public init(core: CoreClient, citizenId: String) {
        self.citizenId = citizenId
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

    private func change(_ body: @escaping @Sendable (Vault, String) throws -> Void) async -> Bool {
        let id = citizenId
        let ok = await perform { try await core.write("citizen") { try body($0, id) } }
        if ok { await load() }
        return ok
    }
}
