import BrobyggerCore

/// What the caseworker reads when something fails, in Danish. The core's errors carry no
/// personal data (a case, a field name, counts), so these texts cannot leak any.
public enum Messages {
    static let fields: [String: String] = [
        "nickname": "Navn", "phone": "Telefonnummer", "case_reference": "Sagsnummer", "text": "Tekst",
        "pin": "PIN-kode", "new_pin": "Ny PIN-kode", "old_pin": "Nuværende PIN-kode", "due_date": "Frist",
        "journal_reference": "Journalnummer", "recovery_key": "Gendannelsesnøgle", "query": "Søgning",
    ]

    public static func danish(_ error: BrobyggerError) -> String {
        switch error {
        case .Locked: return "Appen er låst. Indtast din PIN-kode."
        case .WrongPin(let left):
            return left == 1 ? "Forkert PIN-kode. Du har ét forsøg tilbage." : "Forkert PIN-kode. Du har \(left) forsøg tilbage."
        case .PinDisabled: return "For mange forkerte PIN-koder. Brug din gendannelsesnøgle."
        case .WrongRecoveryKey: return "Gendannelsesnøglen passer ikke."
        case .NotFound: return "Det findes ikke længere."
        case .InvalidInput(let field, _): return "\(fields[field] ?? field): ugyldig værdi."
        case .InvalidState: return "Det kan ikke lade sig gøre nu."
        case .KeyStore: return "Telefonens nøglelager svarer ikke. Prøv igen."
        case .Storage: return "Data kunne ikke gemmes. Prøv igen."
        case .Tampered, .Corrupt: return "Data er beskadiget. Kontakt support; intet er slettet."
        case .NewerSchema: return "Data er fra en nyere version. Opdater appen."
        case .VaultExists: return "Der findes allerede data på telefonen."
        case .NoVault: return "Der er ingen data. Opret en ny boks."
        case .Internal: return "Der skete en uventet fejl."
        }
    }
}
