package dk.brobygger.platform

import dk.brobygger.core.BrobyggerException

/**
 * What the caseworker reads when something fails, in Danish. The core's errors carry no
 * personal data, only a variant, a field name and counts, so these texts cannot leak any.
 */
object Messages {
    private val fields = mapOf(
        "nickname" to "Navn",
        "phone" to "Telefonnummer",
        "case_reference" to "Sagsnummer",
        "text" to "Tekst",
        "pin" to "PIN-kode",
        "new_pin" to "Ny PIN-kode",
        "old_pin" to "Nuværende PIN-kode",
        "due_date" to "Frist",
        "journal_reference" to "Journalnummer",
        "recovery_key" to "Gendannelsesnøgle",
        "query" to "Søgning",
    )

    fun danish(e: BrobyggerException): String = when (e) {
        is BrobyggerException.Locked -> "Appen er låst. Indtast din PIN-kode."
        is BrobyggerException.WrongPin ->
            if (e.attemptsLeft == 1u) "Forkert PIN-kode. Du har ét forsøg tilbage."
            else "Forkert PIN-kode. Du har ${e.attemptsLeft} forsøg tilbage."
        is BrobyggerException.PinDisabled -> "For mange forkerte PIN-koder. Brug din gendannelsesnøgle."
        is BrobyggerException.WrongRecoveryKey -> "Gendannelsesnøglen passer ikke."
        is BrobyggerException.NotFound -> "Det findes ikke længere."
        is BrobyggerException.InvalidInput -> "${fields[e.field] ?: e.field}: ugyldig værdi."
        is BrobyggerException.InvalidState -> "Det kan ikke lade sig gøre nu."
        is BrobyggerException.KeyStore -> "Telefonens nøglelager svarer ikke. Prøv igen."
        is BrobyggerException.Storage -> "Data kunne ikke gemmes. Prøv igen."
        is BrobyggerException.Tampered, is BrobyggerException.Corrupt ->
            "Data er beskadiget. Kontakt support; intet er slettet."
        is BrobyggerException.NewerSchema -> "Data er fra en nyere version. Opdater appen."
        is BrobyggerException.VaultExists -> "Der findes allerede data på telefonen."
        is BrobyggerException.NoVault -> "Der er ingen data. Opret en ny boks."
        is BrobyggerException.Internal -> "Der skete en uventet fejl."
    }
}
