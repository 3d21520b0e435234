import BrobyggerCore
import SwiftUI

/// The worker hands the phone over: the venue the answers count at, what the citizen will
/// see, and how to pin the app with Guided Access.
struct SurveyStartView: View {
    @EnvironmentObject private var app: AppModel
    @Environment(\.words) private var t
    @StateObject private var model: SurveyStartModel
    @State private var loaded = false

    init(core: CoreClient) {
        _model = StateObject(wrappedValue: SurveyStartModel(core: core))
    }

    var body: some View {
        Form {
            Section {
                Text(t("Borgeren ser kun de fem spørgsmål, i stor skrift, på dansk eller engelsk. Appen er låst, mens telefonen er hos borgeren: du tager den tilbage med din PIN-kode eller Face ID. Kommer der ingen svar i \(surveyIdleMinutes()) minutter, slutter undersøgelsen af sig selv, og appen viser låseskærmen.",
                       "The citizen sees only the five questions, in large type, in Danish or English. The app is locked while the phone is with the citizen: you take it back with your PIN or Face ID. If no answers come for \(surveyIdleMinutes()) minutes, the survey ends by itself and the app shows the lock screen."))
                // What the citizen reads first, as the core words it.
                Text(surveyText(text: .intro, language: t.language))
                    .foregroundStyle(.secondary)
            }
            Section {
                if model.venues.isEmpty {
                    if loaded {
                        Banner(text: t("Opret først et værested under Væresteder; svarene tælles pr. værested.",
                                       "First add a venue under Venues; the answers are counted by venue."),
                               tone: .warning)
                    }
                } else {
                    Picker(t("Værested", "Venue"), selection: $model.venueId) {
                        ForEach(model.venues, id: \.id) { Text($0.name).tag(String?.some($0.id)) }
                    }
                }
            }
            Section {
                Text(t("Lås telefonen til Brobygger med Guidet adgang, så borgeren ikke kan forlade appen: slå det til én gang under Indstillinger › Tilgængelighed › Guidet adgang, og tryk tre gange på side- eller hjemknappen, når spørgeskemaet vises. Tryk tre gange igen, og brug koden for at slå det fra.",
                       "Pin the phone to Brobygger with Guided Access so the citizen cannot leave the app: turn it on once under Settings › Accessibility › Guided Access, and triple-click the side or Home button when the survey shows. Triple-click again and use the passcode to turn it off."))
            } header: {
                Text(t("Guidet adgang", "Guided Access"))
            }
            MessageSection(message: model.message)
            Section {
                AsyncButton(action: { await model.start { try await app.startSurvey(venueId: $0) } }) {
                    Label(t("Giv telefonen til borgeren", "Hand the phone to the citizen"), systemImage: "hand.raised")
                }
                .disabled(model.venueId == nil || model.busy)
            }
        }
        .navigationTitle(t("Tilfredshed", "Satisfaction"))
        .task {
            await model.load()
            loaded = true
        }
    }
}

/// What lies under the survey's cover: nothing of the app.
struct SurveyUnderlay: View {
    var body: some View {
        Image(systemName: "lock.fill")
            .font(.largeTitle)
            .foregroundStyle(.secondary)
            .frame(maxWidth: .infinity, maxHeight: .infinity)
            .background(Color(uiColor: .systemBackground))
            .accessibilityHidden(true)
    }
}

/// Survey mode on screen: the form alone, in large type, in the citizen's language, and the
/// worker's way out at the bottom. No navigation, no toolbar, no status bar; the cover that
/// shows it cannot be swiped away.
struct SurveyView: View {
    @ObservedObject var model: SurveyModel
    @Environment(\.words) private var t
    @State private var pin = ""
    @AccessibilityFocusState private var headingFocused: Bool

    var body: some View {
        ScrollView {
            VStack(alignment: .leading, spacing: 24) {
                HStack {
                    Spacer()
                    // The other language, named in that language.
                    Button(model.text(.otherLanguage)) { model.switchLanguage() }
                        .buttonStyle(.bordered)
                        .disabled(model.busy)
                }
                content
                if let message = model.message {
                    Banner(text: message, tone: .error)
                }
                Divider().padding(.top, 24)
                workerLeave
            }
            .padding()
        }
        .dynamicTypeSize(.xxLarge...)
        .environment(\.locale, Locale(identifier: model.language == .da ? "da_DK" : "en_GB"))
        .statusBarHidden()
        .persistentSystemOverlays(.hidden)
        .background(Color(uiColor: .systemBackground))
        .onChange(of: model.step) { _, _ in headingFocused = true }
        .task {
            // The core ends survey mode after its idle time; then the PIN screen shows.
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(30))
                await model.checkActive()
            }
        }
    }

    @ViewBuilder private var content: some View {
        switch model.step {
        case .intro:
            Text(model.text(.title))
                .font(.largeTitle.bold())
                .accessibilityAddTraits(.isHeader)
                .accessibilityFocused($headingFocused)
            Text(model.text(.intro))
                .font(.title3)
            Button { model.begin() } label: {
                Text(model.text(.next)).frame(maxWidth: .infinity)
            }
            .buttonStyle(.borderedProminent)
            .controlSize(.large)
        case .statement(let index):
            statement(index)
        case .thanks:
            VStack(alignment: .center, spacing: 16) {
                Image(systemName: "checkmark.circle.fill")
                    .font(.system(size: 64))
                    .foregroundStyle(.green)
                    .accessibilityHidden(true)
                Text(model.text(.thanks))
                    .font(.largeTitle.bold())
                    .accessibilityAddTraits(.isHeader)
                    .accessibilityFocused($headingFocused)
                Text(model.text(.handBack))
                    .font(.title3)
            }
            .multilineTextAlignment(.center)
            .frame(maxWidth: .infinity)
            .padding(.vertical, 32)
        }
    }

    @ViewBuilder private func statement(_ index: Int) -> some View {
        let statements = model.statements
        Text(model.progress(index))
            .font(.headline)
            .foregroundStyle(.secondary)
        if statements.indices.contains(index) {
            Text(statements[index].text)
                .font(.title.bold())
                .fixedSize(horizontal: false, vertical: true)
                .accessibilityAddTraits(.isHeader)
                .accessibilityFocused($headingFocused)
        }
        VStack(spacing: 12) {
            ForEach(model.scale, id: \.value) { step in
                option(step.label, chosen: model.choice(at: index) == .answer(step.value)) {
                    model.choose(.answer(step.value))
                }
            }
            option(model.text(.skip), chosen: model.choice(at: index) == .skipped, quiet: true) {
                model.choose(.skipped)
            }
        }
        AdaptiveStack(spacing: 12) {
            Button(model.text(.back)) { model.back() }
                .buttonStyle(.bordered)
                .controlSize(.large)
            Spacer(minLength: 0)
            if index == statements.count - 1 {
                Button {
                    Task { await model.send() }
                } label: {
                    Text(model.text(.send))
                }
                .buttonStyle(.borderedProminent)
                .controlSize(.large)
                .disabled(!model.canSend || model.busy)
            } else {
                Button(model.text(.next)) { model.next() }
                    .buttonStyle(.borderedProminent)
                    .controlSize(.large)
                    .disabled(model.choice(at: index) == nil)
            }
        }
    }

    /// One answer: a large button showing whether it is the one chosen.
    private func option(_ label: String, chosen: Bool, quiet: Bool = false, action: @escaping () -> Void) -> some View {
        Button(action: action) {
            HStack(alignment: .firstTextBaseline) {
                Image(systemName: chosen ? "largecircle.fill.circle" : "circle")
                    .accessibilityHidden(true)
                Text(label)
                    .multilineTextAlignment(.leading)
                    .fixedSize(horizontal: false, vertical: true)
                Spacer(minLength: 0)
            }
            .font(quiet ? .title3 : .title2)
            .padding(.vertical, 12)
            .padding(.horizontal, 16)
            .frame(maxWidth: .infinity, alignment: .leading)
            .background(
                RoundedRectangle(cornerRadius: 12)
                    .fill(chosen ? Color.accentColor.opacity(0.18) : Color(uiColor: .secondarySystemBackground)))
            .overlay(
                RoundedRectangle(cornerRadius: 12)
                    .stroke(chosen ? Color.accentColor : Color.clear, lineWidth: 2))
            .contentShape(RoundedRectangle(cornerRadius: 12))
        }
        .buttonStyle(.plain)
        .foregroundStyle(quiet ? Color.secondary : Color.primary)
        .accessibilityAddTraits(chosen ? .isSelected : [])
    }

    /// The worker's way back: the PIN, or Face ID / Touch ID (the lock screen's own path).
    @ViewBuilder private var workerLeave: some View {
        if model.leaving {
            VStack(alignment: .leading, spacing: 12) {
                Text(model.text(.workerLeave))
                    .font(.headline)
                SecureField(t("PIN-kode", "PIN"), text: $pin)
                    .textContentType(.password)
                    .keyboardType(.numberPad)
                    .submitLabel(.go)
                    .onSubmit { submit() }
                    .textFieldStyle(.roundedBorder)
                AdaptiveStack(spacing: 12) {
                    Button(t("Lås op", "Unlock")) { submit() }
                        .buttonStyle(.borderedProminent)
                        .disabled(pin.isEmpty || model.busy)
                    if let name = model.biometricName {
                        Button {
                            Task { await model.leaveWithBiometrics() }
                        } label: {
                            Label(name, systemImage: name == "Touch ID" ? "touchid" : "faceid")
                        }
                        .buttonStyle(.bordered)
                        .disabled(model.busy)
                    }
                    Button(model.text(.back)) {
                        pin = ""
                        model.leaving = false
                    }
                    .buttonStyle(.bordered)
                }
            }
        } else {
            Button {
                model.leaving = true
            } label: {
                Label(model.text(.workerLeave), systemImage: "lock")
                    .font(.footnote)
            }
            .buttonStyle(.borderless)
            .foregroundStyle(.secondary)
            .frame(maxWidth: .infinity)
        }
    }

    private func submit() {
        let entered = pin
        pin = ""
        Task { await model.leave(pin: entered) }
    }
}
