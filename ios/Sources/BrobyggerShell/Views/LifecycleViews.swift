import BrobyggerCore
import SwiftUI
import UniformTypeIdentifiers

/// Backups: the core's word on the last one (overdue or not), making one (the core writes
/// it, the document picker saves it where the worker picks, the app's copy is deleted), and
/// what must come first when the core is not ready for a backup (a new recovery key).
struct BackupView: View {
    @EnvironmentObject private var app: AppModel
    @Environment(\.words) private var t
    @StateObject private var model: LifecycleModel

    init(core: CoreClient) {
        _model = StateObject(wrappedValue: LifecycleModel(core: core))
    }

    var body: some View {
        List {
            MessageSection(message: model.message)
            if let notice = model.notice {
                Section { Banner(text: notice) }
            }
            if let status = model.status {
                Section {
                    Banner(text: status.backupMessage, tone: status.backupOverdue ? .warning : .info)
                    if let last = status.lastBackupAt {
                        ValueRow(label: t("Seneste sikkerhedskopi", "Last backup"), value: t.instant(last))
                    }
                    if status.backupReady {
                        AsyncButton(action: { await model.createBackup() }) {
                            Label(t("Lav en sikkerhedskopi", "Make a backup"), systemImage: "externaldrive.badge.plus")
                        }
                        .disabled(model.busy)
                    } else {
                        Banner(text: t("Før den første sikkerhedskopi skal du lave en ny gendannelsesnøgle: sikkerhedskopien låses med den.",
                                       "Before the first backup, make a new recovery key: the backup is locked with it."),
                               tone: .warning)
                        AsyncButton(t("Lav en ny gendannelsesnøgle", "Make a new recovery key")) { await app.rotateRecoveryKey() }
                    }
                } footer: {
                    Text(t("Sikkerhedskopien er én krypteret fil, som kun kan åbnes med gendannelsesnøglen. Gem den fx i Filer eller på en USB-nøgle, og gem nøglen et andet sted. En ny gendannelsesnøgle gælder kun for nye sikkerhedskopier.",
                           "The backup is one encrypted file that only the recovery key opens. Save it in Files or on a USB stick, say, and keep the key somewhere else. A new recovery key only opens backups made after it."))
                }
            } else if model.busy {
                Section { ProgressView().frame(maxWidth: .infinity) }
            }
        }
        .navigationTitle(t("Sikkerhedskopi", "Backup"))
        .task { await model.load() }
        .refreshable { await model.load() }
        .sheet(item: $model.pendingExport, onDismiss: { Task { await model.exportFinished(saved: nil) } }) { export in
            DocumentExportPicker(url: export.url) { saved in
                Task { await model.exportFinished(saved: saved) }
            }
            .ignoresSafeArea()
        }
        .onDisappear { Task { await model.exportFinished(saved: nil) } }
    }
}

/// How long data is kept, and the emergency wipes (a duress PIN; a wipe after days without
/// an unlock). Every number is checked by the core when saved; its refusal shows in its words.
struct DataProtectionView: View {
    @Environment(\.words) private var t
    @StateObject private var model: LifecycleModel
    @State private var purge = 0
    @State private var flagFinal = 0
    @State private var reduce = 0
    @State private var backupReminder = 0
    @State private var wipeOn = false
    @State private var wipeDays = 0
    @State private var duress = ""
    @State private var duressRepeated = ""
    @State private var filled = false

    init(core: CoreClient) {
        _model = StateObject(wrappedValue: LifecycleModel(core: core))
    }

    var body: some View {
        Form {
            MessageSection(message: model.message)
            if let notice = model.notice {
                Section { Banner(text: notice) }
            }
            if let status = model.status {
                retention(status)
                inactivity(status)
                duressSection(status)
            }
        }
        .navigationTitle(t("Opbevaring og nødsletning", "Retention and emergency wipes"))
        .task {
            await model.load()
            fill()
        }
    }

    @ViewBuilder private func retention(_ status: LifecycleStatus) -> some View {
        Section {
            DaysField(label: t("Slet journaliserede notater efter", "Purge journalised notes after"), value: $purge)
            DaysField(label: t("Påmind om endelige notater efter", "Remind of final notes after"), value: $flagFinal)
            DaysField(label: t("Gør afholdte aftaler anonyme efter", "Make past appointments anonymous after"), value: $reduce)
            DaysField(label: t("Påmind om sikkerhedskopi efter", "Remind of a backup after"), value: $backupReminder)
            AsyncButton(t("Gem og anvend nu", "Save and apply now")) {
                await model.saveRetention(RetentionSettings(
                    purgeAfterDays: UInt32(clamping: purge),
                    flagFinalAfterDays: UInt32(clamping: flagFinal),
                    reduceAppointmentsAfterDays: UInt32(clamping: reduce),
                    backupReminderDays: UInt32(clamping: backupReminder)))
            }
            .disabled(model.busy)
            if status.finalNotesFlagged > 0 {
                Banner(text: t("\(status.finalNotesFlagged) endelige notater venter på journalisering.",
                               "\(status.finalNotesFlagged) final notes await journalising."), tone: .warning)
            }
        } header: {
            Text(t("Opbevaring (dage)", "Retention (days)"))
        } footer: {
            Text(t("Notatets tekst slettes; dagens optællinger af emner og hjælp bliver. Aftaler mister borger, sted og sms-tekst og tælles kun med i udeblivelserne. Gælder nu og ved hver oplåsning.",
                   "A note's text is destroyed; the day's counts of topics and help remain. Appointments lose citizen, place and text and only count for the no-show figures. Applies now and at every unlock."))
        }
    }

    @ViewBuilder private func inactivity(_ status: LifecycleStatus) -> some View {
        Section {
            Toggle(t("Slet data efter dage uden oplåsning", "Wipe after days without an unlock"), isOn: $wipeOn)
            if wipeOn {
                DaysField(label: t("Dage uden oplåsning", "Days without an unlock"), value: $wipeDays)
            }
            AsyncButton(t("Gem", "Save")) { await model.setInactivityWipe(days: wipeOn ? wipeDays : nil) }
                .disabled(model.busy)
            if let left = status.daysUntilInactivityWipe {
                ValueRow(label: t("Slettes uden oplåsning om", "Wiped without an unlock in"), value: t("\(left) dage", "\(left) days"))
            }
        } header: {
            Text(t("Sletning efter dage uden brug", "Wipe after days without use"))
        } footer: {
            Text(t("Til en mistet telefon. Appen tjekker ved start, når den åbnes, og i baggrunden når iOS tillader det (kun mens telefonen er låst op). Bagefter står kun en besked om sletningen; data kommer kun tilbage fra en sikkerhedskopi.",
                   "For a lost phone. The app checks at start, when it opens, and in the background when iOS allows it (only while the phone is unlocked). Afterwards only a notice of the wipe is left; data comes back only from a backup."))
        }
    }

    @ViewBuilder private func duressSection(_ status: LifecycleStatus) -> some View {
        Section {
            if status.duressPinSet {
                ValueRow(label: t("Nød-PIN-kode", "Duress PIN"), value: t("Sat", "Set"))
                AsyncButton(t("Fjern nød-PIN-koden", "Remove the duress PIN"), role: .destructive) { await model.removeDuressPin() }
            } else {
                SecureField(t("Nød-PIN-kode", "Duress PIN"), text: $duress).keyboardType(.numberPad)
                SecureField(t("Gentag nød-PIN-koden", "Repeat the duress PIN"), text: $duressRepeated).keyboardType(.numberPad)
                if let problem = model.pinProblem(duress) { Banner(text: problem, tone: .warning) }
                AsyncButton(t("Sæt nød-PIN-kode", "Set the duress PIN")) {
                    if await model.setDuressPin(duress, repeated: duressRepeated) {
                        duress = ""
                        duressRepeated = ""
                    }
                }
                .disabled(duress.isEmpty || model.busy)
            }
        } header: {
            Text(t("Nød-PIN-kode", "Duress PIN"))
        } footer: {
            Text(t("Tastes nød-PIN-koden på låseskærmen, slettes alle data uden varsel, og appen ser ud som nyinstalleret. Den skal være forskellig fra PIN-koden og fjernes, når PIN-koden skiftes eller gendannelsesnøglen bruges.",
                   "Entered on the lock screen, the duress PIN wipes all data without warning, and the app looks freshly installed. It must differ from the PIN and is removed when the PIN changes or the recovery key is used."))
        }
    }

    /// The fields start from the core's settings once; after that they are the worker's.
    private func fill() {
        guard !filled, let s = model.status else { return }
        filled = true
        purge = Int(s.retention.purgeAfterDays)
        flagFinal = Int(s.retention.flagFinalAfterDays)
        reduce = Int(s.retention.reduceAppointmentsAfterDays)
        backupReminder = Int(s.retention.backupReminderDays)
        wipeOn = s.inactivityWipeDays != nil
        wipeDays = Int(s.inactivityWipeDays ?? 30)
    }
}

/// A number of days typed in; the core decides whether it is allowed.
private struct DaysField: View {
    @Environment(\.words) private var t
    let label: String
    @Binding var value: Int

    var body: some View {
        AdaptiveStack {
            Text(label)
            Spacer(minLength: 8)
            TextField(label, value: $value, format: .number)
                .keyboardType(.numberPad)
                .multilineTextAlignment(.trailing)
                .frame(minWidth: 60)
                .accessibilityLabel(label)
            Text(t("dage", "days")).foregroundStyle(.secondary).accessibilityHidden(true)
        }
    }
}

/// The audit log: the core's check of the whole chain on top, then the entries newest first,
/// an older page at a time.
struct AuditView: View {
    @Environment(\.words) private var t
    @StateObject private var model: AuditModel

    init(core: CoreClient) {
        _model = StateObject(wrappedValue: AuditModel(core: core))
    }

    var body: some View {
        List {
            MessageSection(message: model.message)
            if let check = model.check {
                Section {
                    Banner(text: check.message, tone: check.problem == nil ? .info : .error)
                    ValueRow(label: t("Poster", "Entries"), value: "\(check.entries)")
                }
            }
            if model.unreadable > 0 {
                Section {
                    Banner(text: t("\(model.unreadable) poster kunne ikke åbnes (beskadigede data).",
                                   "\(model.unreadable) entries could not be opened (damaged data)."), tone: .warning)
                }
            }
            Section {
                ForEach(model.entries, id: \.seq) { entry in
                    VStack(alignment: .leading, spacing: 2) {
                        Text(entry.text)
                        Text(t("Nr. \(entry.seq) · \(t.instant(entry.at))", "No. \(entry.seq) · \(t.instant(entry.at))"))
                            .font(.footnote).foregroundStyle(.secondary)
                    }
                    .accessibilityElement(children: .combine)
                }
                if model.hasMore {
                    AsyncButton(t("Vis ældre", "Show older")) { await model.loadMore() }
                        .disabled(model.busy)
                }
            }
        }
        .navigationTitle(t("Log over hændelser", "Event log"))
        .task { await model.load() }
        .refreshable { await model.load() }
    }
}

/// "Gendan fra sikkerhedskopi" from the set-up screen: pick the file, type the recovery key
/// and a new PIN, read what came back, go on to Today.
struct RestoreView: View {
    @EnvironmentObject private var app: AppModel
    @Environment(\.words) private var t
    @StateObject private var model: RestoreModel
    @State private var picking = false
    @State private var key = ""
    @State private var pin = ""
    @State private var repeated = ""

    init(vault: VaultActor, words: Words) {
        _model = StateObject(wrappedValue: RestoreModel(vault: vault, words: words))
    }

    var body: some View {
        Form {
            switch model.step {
            case .pick:
                Section {
                    Text(t("Vælg sikkerhedskopien (en .bbk-fil), fx i Filer eller på en USB-nøgle. Du skal bruge gendannelsesnøglen, der hørte til, da kopien blev lavet.",
                           "Pick the backup (a .bbk file), in Files or on a USB stick, say. You need the recovery key that was current when it was made."))
                    Button(t("Vælg fil", "Choose file")) { picking = true }
                        .disabled(model.busy)
                }
            case .details:
                Section {
                    TextField(t("Gendannelsesnøgle", "Recovery key"), text: $key, axis: .vertical)
                        .font(.system(.body, design: .monospaced))
                        .textInputAutocapitalization(.characters)
                        .autocorrectionDisabled()
                    SecureField(t("Ny PIN-kode", "New PIN"), text: $pin).keyboardType(.numberPad)
                    SecureField(t("Gentag ny PIN-kode", "Repeat new PIN"), text: $repeated).keyboardType(.numberPad)
                    if let problem = model.pinProblem(pin) { Banner(text: problem, tone: .warning) }
                }
                Section {
                    AsyncButton(t("Gendan", "Restore")) {
                        await model.restore(recoveryKey: key, newPin: pin, repeated: repeated)
                        if case .done = model.step {
                            key = ""
                            pin = ""
                            repeated = ""
                        }
                    }
                    .disabled(key.isEmpty || pin.isEmpty || model.busy)
                    Button(t("Vælg en anden fil", "Choose another file")) { Task { await model.cancel() } }
                } footer: {
                    Text(t("Hele filen kontrolleres, før noget skrives. Det tager et øjeblik.",
                           "The whole file is checked before anything is written. It takes a moment."))
                }
                if model.busy {
                    Section { ProgressView().frame(maxWidth: .infinity) }
                }
            case .done(let report):
                Section(t("Gendannet", "Restored")) {
                    ForEach(RestoreModel.lines(report, t), id: \.self) { Text($0) }
                }
                Section {
                    AsyncButton(t("Fortsæt", "Continue")) { await app.restored() }
                        .buttonStyle(.borderedProminent)
                }
            }
            MessageSection(message: model.message)
        }
        .navigationTitle(t("Gendan fra sikkerhedskopi", "Restore from a backup"))
        .fileImporter(isPresented: $picking, allowedContentTypes: [.data]) { result in
            Task { await model.picked(result) }
        }
        // Left before restoring: the copy of the picked file goes.
        .onDisappear {
            if case .details = model.step { Task { await model.cancel() } }
        }
    }
}
