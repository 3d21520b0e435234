import BrobyggerCore
import SwiftUI
import UIKit

/// Settings: auto-lock, Face ID / Touch ID, PIN, recovery key, notifications, SMS
/// capability, the key store in use, the vault's integrity, and wiping.
struct SettingsView: View {
    @EnvironmentObject private var app: AppModel
    @EnvironmentObject private var queue: ComposeQueue
    @EnvironmentObject private var notifications: SendNotificationScheduler
    @Environment(\.words) private var t
    @State private var oldPin = ""
    @State private var newPin = ""
    @State private var confirmWipe = false
    @State private var wipeWord = ""

    init() {}

    var body: some View {
        Form {
            MessageSection(message: app.message)
            if let status = app.status {
                Section(t("Lås", "Lock")) {
                    Stepper(value: Binding(
                        get: { Int(status.autoLockMinutes) },
                        set: { minutes in Task { await setAutoLock(minutes) } }), in: 1...240) {
                        ValueRow(label: t("Lås efter", "Lock after"), value: t("\(status.autoLockMinutes) min.", "\(status.autoLockMinutes) min"))
                    }
                    biometricRow(status)
                    ValueRow(label: t("PIN-forsøg tilbage", "PIN tries left"), value: "\(status.pinAttemptsLeft)")
                }
                Section(t("Skift PIN-kode", "Change PIN")) {
                    SecureField(t("Nuværende PIN-kode", "Current PIN"), text: $oldPin).keyboardType(.numberPad)
                    SecureField(t("Ny PIN-kode", "New PIN"), text: $newPin).keyboardType(.numberPad)
                    if let problem = app.pinProblem(newPin) { Banner(text: problem, tone: .warning) }
                    AsyncButton(t("Skift", "Change")) {
                        let (old, new) = (oldPin, newPin)
                        do {
                            try await app.core.write("pin") { try $0.changePin(oldPin: old, newPin: new) }
                            app.message = t("PIN-koden er skiftet.", "The PIN is changed.")
                        } catch {
                            app.message = t.error(error)
                        }
                        oldPin = ""
                        newPin = ""
                    }
                    .disabled(oldPin.isEmpty || newPin.isEmpty)
                }
                Section(t("Gendannelsesnøgle", "Recovery key")) {
                    if status.recoveryKeyRotationAdvised {
                        Banner(text: t("Nøglen er brugt. Lav en ny, og gem den.", "The key was used. Make a new one and keep it."),
                               tone: .warning)
                    }
                    AsyncButton(t("Lav en ny gendannelsesnøgle", "Make a new recovery key")) { await app.rotateRecoveryKey() }
                }
                Section(t("Data", "Data")) {
                    ValueRow(label: t("Tilstand", "State"), value: t.label(status.integrity))
                    ValueRow(label: t("Nøglelager", "Key store"), value: app.keyStore.backing == .secureEnclave
                             ? "Secure Enclave"
                             : t("Nøgleringen (ingen Secure Enclave på denne enhed)", "Keychain (no Secure Enclave on this device)"))
                    ValueRow(label: "PIN-KDF", value: "\(status.kdfAlgorithm), \(status.kdfIterations)")
                    AsyncButton(t("Tjek data", "Check data")) {
                        _ = try? await app.core.read { try $0.checkIntegrity() }
                        await app.refreshStatus()
                    }
                    NavigationLink(t("Sikkerhedskopi", "Backup")) { BackupView(core: app.core) }
                    NavigationLink(t("Opbevaring og nødsletning", "Retention and emergency wipes")) { DataProtectionView(core: app.core) }
                    NavigationLink(t("Log over hændelser", "Event log")) { AuditView(core: app.core) }
                }
            }
            Section(t("Sms og notifikationer", "Texts and notifications")) {
                ValueRow(label: t("Kan sende sms", "Can send texts"), value: queue.canSendText ? t("Ja", "Yes") : t("Nej (intet SIM-kort eller iPad)", "No (no SIM or an iPad)"))
                ValueRow(label: t("Notifikationer", "Notifications"), value: permissionText)
                if notifications.notNotified > 0 {
                    Text(t("\(notifications.notNotified) sms'er ligger ud over de 64 notifikationer, iOS tillader; de planlægges, næste gang appen åbnes.",
                           "\(notifications.notNotified) texts lie beyond the 64 notifications iOS allows; they are planned the next time the app opens."))
                        .font(.footnote)
                }
                if notifications.permission == .notAsked {
                    AsyncButton(t("Slå notifikationer til", "Turn on notifications")) { await notifications.requestPermission() }
                } else if notifications.permission == .denied || notifications.permission == .allowed(timeSensitive: false) {
                    Button(t("Åbn Indstillinger", "Open Settings")) {
                        if let url = URL(string: UIApplication.openNotificationSettingsURLString) { UIApplication.shared.open(url) }
                    }
                }
            }
            Section {
                ValueRow(label: t("Version", "Version"), value: coreVersion())
                Button(t("Lås nu", "Lock now")) { Task { await app.lockNow() } }
                Button(t("Slet alle data på telefonen", "Delete all data on this phone"), role: .destructive) { confirmWipe = true }
            }
        }
        .navigationTitle(t("Indstillinger", "Settings"))
        .task {
            await app.refreshStatus()
            await notifications.refreshPermission()
        }
        .alert(t("Slet alle data?", "Delete all data?"), isPresented: $confirmWipe) {
            TextField(t("Skriv SLET", "Type DELETE"), text: $wipeWord)
            Button(t("Slet", "Delete"), role: .destructive) {
                if wipeWord == t("SLET", "DELETE") { Task { await app.wipe() } }
                wipeWord = ""
            }
            Button(t("Annuller", "Cancel"), role: .cancel) { wipeWord = "" }
        } message: {
            Text(t("Alle borgere, notater og aftaler slettes fra telefonen. Det kan ikke fortrydes.",
                   "All citizens, notes and appointments are deleted from the phone. This cannot be undone."))
        }
    }

    @ViewBuilder private func biometricRow(_ status: VaultStatus) -> some View {
        switch app.biometrics {
        case .available(let kind):
            let name = kind == .touchID ? "Touch ID" : kind == .opticID ? "Optic ID" : "Face ID"
            Toggle(t("Lås op med \(name)", "Unlock with \(name)"), isOn: Binding(
                get: { status.biometricEnrolled && !app.biometricInvalidated },
                set: { on in Task { await app.setBiometrics(on) } }))
            if app.biometricInvalidated {
                Banner(text: t("\(name) er ændret på telefonen. Slå det til igen for at bruge det.",
                               "\(name) changed on this phone. Turn it on again to use it."), tone: .warning)
            }
        case .notEnrolled:
            Banner(text: t("Face ID / Touch ID er ikke sat op på telefonen.", "Face ID / Touch ID is not set up on this phone."))
        case .lockedOut:
            Banner(text: t("Face ID er låst; lås telefonen op med koden først.", "Face ID is locked; unlock the phone with its passcode first."))
        case .passcodeNotSet:
            Banner(text: t("Telefonen har ingen kode, så Face ID kan ikke bruges.", "The phone has no passcode, so Face ID cannot be used."))
        case .notAvailable:
            EmptyView()
        }
    }

    private var permissionText: String {
        switch notifications.permission {
        case .notAsked: return t("Ikke slået til", "Not turned on")
        case .denied: return t("Slået fra", "Turned off")
        case .allowed(let timeSensitive):
            return timeSensitive ? t("Til, også under Fokus", "On, also during Focus") : t("Til, men ikke tidsfølsomme", "On, but not time-sensitive")
        }
    }

    private func setAutoLock(_ minutes: Int) async {
        _ = try? await app.core.write("settings") { try $0.setAutoLockMinutes(minutes: UInt32(minutes)) }
        await app.refreshStatus()
    }
}
