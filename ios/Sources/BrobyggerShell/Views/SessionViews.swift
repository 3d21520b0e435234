import BrobyggerCore
import SwiftUI

/// Set-up: choose a PIN (the core says whether it may be chosen, as it is typed), or restore
/// a backup; the core's notice of a wipe after days without an unlock on top until read.
struct SetUpView: View {
    @EnvironmentObject private var app: AppModel
    @Environment(\.words) private var t
    @State private var pin = ""
    @State private var repeated = ""

    init() {}

    var body: some View {
        NavigationStack {
            Form {
                if let notice = app.wipeNotice {
                    // Shown until the worker has read it; then the core removes it.
                    Section {
                        Banner(text: notice.message, tone: .warning)
                        AsyncButton(t("Forstået", "Understood")) { await app.dismissWipeNotice() }
                    }
                }
                Section {
                    Text(t("Brobygger gemmer dine notater og aftaler krypteret på telefonen. Vælg en PIN-kode på mindst 6 tegn.",
                           "Brobygger keeps your notes and appointments encrypted on the phone. Choose a PIN of at least 6 characters."))
                }
                Section {
                    SecureField(t("PIN-kode", "PIN"), text: $pin)
                        .textContentType(.newPassword)
                        .keyboardType(.numberPad)
                    SecureField(t("Gentag PIN-koden", "Repeat the PIN"), text: $repeated)
                        .textContentType(.newPassword)
                        .keyboardType(.numberPad)
                    if let problem = app.pinProblem(pin) {
                        Banner(text: problem, tone: .warning)
                    }
                }
                MessageSection(message: app.message)
                Section {
                    AsyncButton(t("Opret", "Create")) {
                        await app.setUp(pin: pin, repeated: repeated)
                        pin = ""
                        repeated = ""
                    }
                    .disabled(pin.isEmpty || app.busy)
                }
                Section {
                    NavigationLink {
                        RestoreView(vault: app.core.vault, words: app.words)
                    } label: {
                        Label(t("Gendan fra sikkerhedskopi", "Restore from a backup"), systemImage: "arrow.counterclockwise")
                    }
                } footer: {
                    Text(t("Har du en sikkerhedskopi og gendannelsesnøglen, kan du hente dine data tilbage i stedet for at starte forfra.",
                           "With a backup and its recovery key you can bring your data back instead of starting afresh."))
                }
            }
            .navigationTitle(t("Velkommen", "Welcome"))
        }
    }
}

/// The recovery key, shown once, in a grid read group by group and letter by letter.
struct RecoveryKeyView: View {
    @EnvironmentObject private var app: AppModel
    @Environment(\.words) private var t
    let groups: [String]
    @State private var confirmed = false

    init(groups: [String]) {
        self.groups = groups
    }

    var body: some View {
        NavigationStack {
            ScrollView {
                VStack(alignment: .leading, spacing: 16) {
                    Text(t("Skriv gendannelsesnøglen ned, og gem den et sikkert sted, ikke på telefonen. Den vises kun nu. Med den kan du åbne dine data, hvis PIN-koden bliver spærret, eller telefonens nøglelager nulstilles.",
                           "Write the recovery key down and keep it somewhere safe, not on the phone. It is shown only now. It opens your data if the PIN gets blocked or the phone's key store is reset."))
                    LazyVGrid(columns: [GridItem(.adaptive(minimum: 90))], spacing: 12) {
                        ForEach(Array(groups.enumerated()), id: \.offset) { index, group in
                            Text(group)
                                .font(.system(.title3, design: .monospaced))
                                .textSelection(.disabled)
                                .accessibilityLabel(
                                    Text(t("Gruppe \(index + 1): ", "Group \(index + 1): "))
                                        + Text(group).speechSpellsOutCharacters())
                        }
                    }
                    Toggle(t("Jeg har skrevet nøglen ned", "I have written the key down"), isOn: $confirmed)
                    AsyncButton(t("Fortsæt", "Continue")) { await app.recoveryKeyWrittenDown() }
                        .buttonStyle(.borderedProminent)
                        .disabled(!confirmed)
                }
                .padding()
            }
            .navigationTitle(t("Gendannelsesnøgle", "Recovery key"))
        }
        // No screenshots of the key in the app switcher either.
        .privacySensitive()
    }
}

/// Unlock by PIN, or Face ID / Touch ID when it is set up and the phone offers it.
struct UnlockView: View {
    @EnvironmentObject private var app: AppModel
    @EnvironmentObject private var queue: ComposeQueue
    @Environment(\.words) private var t
    @State private var pin = ""

    init() {}

    var body: some View {
        NavigationStack {
            Form {
                Section {
                    SecureField(t("PIN-kode", "PIN"), text: $pin)
                        .textContentType(.password)
                        .keyboardType(.numberPad)
                        .submitLabel(.go)
                        .onSubmit { submit() }
                    if app.retryAfter > 0 {
                        Text(t("Prøv igen om \(app.retryAfter) sekunder.", "Try again in \(app.retryAfter) seconds."))
                            .foregroundStyle(.secondary)
                            .accessibilityAddTraits(.updatesFrequently)
                    }
                    Button(t("Lås op", "Unlock")) { submit() }
                        .disabled(pin.isEmpty || app.busy || app.retryAfter > 0)
                }
                if let kind = biometricKind, app.status?.biometricEnrolled == true, !app.biometricInvalidated {
                    Section {
                        AsyncButton(action: { await app.unlockWithBiometrics() }) {
                            Label(kind, systemImage: kind == "Touch ID" ? "touchid" : "faceid")
                        }
                    }
                }
                MessageSection(message: app.message)
                if let notice = queue.notice {
                    Section { Banner(text: notice) }
                }
                Section {
                    AsyncButton(t("Send ventende sms'er", "Send waiting texts")) { await app.sendDueTexts() }
                } footer: {
                    Text(t("Påmindelser kan sendes uden PIN-kode; resten af appen er låst.",
                           "Reminders can be sent without the PIN; the rest of the app stays locked."))
                }
            }
            .navigationTitle(t("Brobygger er låst", "Brobygger is locked"))
        }
        .task {
            if biometricKind != nil, app.status?.biometricEnrolled == true, !app.biometricInvalidated {
                await app.unlockWithBiometrics()
            }
        }
    }

    private var biometricKind: String? { app.biometricName }

    private func submit() {
        let entered = pin
        pin = ""
        Task { await app.unlock(pin: entered) }
    }
}

/// After ten wrong PINs, or when the phone's keys are gone: the recovery key and a new PIN.
struct RecoveryView: View {
    @EnvironmentObject private var app: AppModel
    @Environment(\.words) private var t
    @State private var key = ""
    @State private var pin = ""
    @State private var repeated = ""

    init() {}

    var body: some View {
        NavigationStack {
            Form {
                Section {
                    Text(app.status?.platformKeysMissing == true
                         ? t("Telefonens nøgler til dine data findes ikke længere (nulstillet nøglelager, eller data lagt tilbage fra en anden telefon). Brug gendannelsesnøglen.",
                             "The phone's keys to your data are gone (a reset key store, or data restored from another phone). Use the recovery key.")
                         : t("PIN-koden er spærret efter for mange forkerte forsøg. Brug gendannelsesnøglen, og vælg en ny PIN-kode.",
                             "The PIN is blocked after too many wrong tries. Use the recovery key and choose a new PIN."))
                }
                Section {
                    TextField(t("Gendannelsesnøgle", "Recovery key"), text: $key, axis: .vertical)
                        .font(.system(.body, design: .monospaced))
                        .textInputAutocapitalization(.characters)
                        .autocorrectionDisabled()
                    SecureField(t("Ny PIN-kode", "New PIN"), text: $pin).keyboardType(.numberPad)
                    SecureField(t("Gentag ny PIN-kode", "Repeat new PIN"), text: $repeated).keyboardType(.numberPad)
                    if let problem = app.pinProblem(pin) { Banner(text: problem, tone: .warning) }
                }
                MessageSection(message: app.message)
                Section {
                    AsyncButton(t("Lås op", "Unlock")) {
                        await app.unlockWithRecoveryKey(key, newPin: pin, repeated: repeated)
                    }
                    .disabled(key.isEmpty || pin.isEmpty || app.busy)
                }
            }
            .navigationTitle(t("Gendan adgang", "Recover access"))
        }
    }
}
