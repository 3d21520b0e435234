import BrobyggerCore
import SwiftUI

public struct RootView: View {
    @ObservedObject var model: VaultModel
    @State private var pin = ""

    public init(model: VaultModel) { self.model = model }

    public var body: some View {
        switch model.screen {
        case .setUp:
            pinEntry(title: "Vælg en PIN-kode (mindst 6 tegn)", message: nil) { model.setUp(pin: $0) }
        case .showRecoveryKey(let key):
            VStack(spacing: 16) {
                Text("Skriv gendannelsesnøglen ned og gem den et sikkert sted. Den vises kun nu:")
                Text(key).font(.system(.body, design: .monospaced)).textSelection(.disabled)
                Button("Jeg har skrevet den ned") { model.lock() }
            }.padding()
        case .unlock(let message):
            pinEntry(title: "PIN-kode", message: message) { model.unlock(pin: $0) }
        case .home(let citizens, let notes, let message):
            HomeView(model: model, citizens: citizens, notes: notes, message: message)
        }
    }

    private func pinEntry(title: String, message: String?, done: @escaping (String) -> Void) -> some View {
        VStack(spacing: 12) {
            if let message { Text(message).foregroundStyle(.red) }
            SecureField(title, text: $pin).keyboardType(.numberPad).textFieldStyle(.roundedBorder)
            Button("OK") { done(pin); pin = "" }
        }.padding()
    }
}

struct HomeView: View {
    @ObservedObject var model: VaultModel
    let citizens: [Citizen]
    let notes: [Note]
    let message: String?
    @State private var name = ""
    @State private var phone = ""
    @State private var draft = ""
    @State private var draftId: String?

    var body: some View {
        List {
            if let message { Text(message).foregroundStyle(.red) }
            Section("Ny borger") {
                TextField("Navn", text: $name)
                TextField("Mobil (valgfri)", text: $phone).keyboardType(.phonePad)
                Button("Tilføj") { model.addCitizen(nickname: name, phone: phone); name = ""; phone = "" }
            }
            Section("Notat (gemmes mens du skriver)") {
                TextEditor(text: $draft).frame(minHeight: 120)
                    .onChange(of: draft) { text in draftId = model.saveDraft(id: draftId, text: text) }
                Button("Afslut notat") { if let id = draftId { model.finalize(id: id) }; draft = ""; draftId = nil }
            }
            Section("Borgere") { ForEach(citizens, id: \.id) { Text($0.nickname) } }
            Section("Seneste notater") { ForEach(notes, id: \.id) { Text($0.text.prefix(60)) } }
        }
    }
}
