import BrobyggerCore
import SwiftUI

/// Booking (or moving) an appointment. The core previews as the form changes: warnings in
/// its words (overlap, outside office hours, absence, holiday, in the past, daylight-saving
/// gaps, held texts) and the reminders with their send times and texts, or why none go.
struct BookingView: View {
    @Environment(\.words) private var t
    @Environment(\.dismiss) private var dismiss
    @StateObject private var model: BookingModel

    init(core: CoreClient, citizenId: String, rescheduling: String? = nil) {
        _model = StateObject(wrappedValue: BookingModel(core: core, citizenId: citizenId, rescheduling: rescheduling))
    }

    var body: some View {
        Form {
            Section {
                DatePicker(t("Tidspunkt", "Time"), selection: $model.start)
                Stepper(value: $model.durationMinutes, in: 15...480, step: 15) {
                    ValueRow(label: t("Varighed", "Duration"), value: t("\(model.durationMinutes) min.", "\(model.durationMinutes) min"))
                }
                if model.rescheduling == nil {
                    Picker(t("Slags", "Kind"), selection: $model.kind) {
                        ForEach(Choices.appointmentKinds, id: \.self) { Text(t.label($0)).tag($0) }
                    }
                    Picker(t("Sted", "Place"), selection: $model.venueId) {
                        Text(t("Ude (skriv stedet)", "Elsewhere (write the place)")).tag(String?.none)
                        ForEach(model.venues, id: \.id) { Text($0.name).tag(String?.some($0.id)) }
                    }
                    if model.venueId == nil {
                        TextField(t("Fx retten, lægen, Borgerservice", "E.g. court, doctor, Borgerservice"), text: $model.outsidePlace)
                    }
                }
            }
            if let preview = model.booked ?? model.preview {
                if !preview.warnings.isEmpty {
                    Section(t("Advarsler", "Warnings")) {
                        ForEach(Array(preview.warnings.enumerated()), id: \.offset) { _, w in
                            Banner(text: t.warning(w), tone: .warning)
                        }
                    }
                }
                Section(t("Sms-påmindelser", "Text reminders")) {
                    if let none = preview.noReminders {
                        Banner(text: t.noReminders(none))
                    }
                    ForEach(preview.reminders, id: \.reminder.id) { r in
                        VStack(alignment: .leading, spacing: 4) {
                            Text("\(t.label(r.reminder.kind)) · \(t.dayAndTime(r.localSendAt, zone: preview.appointment.timeZone))")
                                .font(.subheadline.weight(.semibold))
                            if let text = r.reminder.text {
                                Text(text).font(.callout)
                            }
                            if r.reminder.hold != nil {
                                Text(t("Holdes tilbage, til du godkender teksten.", "Held until you approve the text."))
                                    .font(.footnote).foregroundStyle(.orange)
                            }
                        }
                        .accessibilityElement(children: .combine)
                    }
                }
            }
            MessageSection(message: model.message)
            Section {
                if model.booked != nil {
                    Banner(text: t("Aftalen er gemt.", "The appointment is saved."))
                    Button(t("Færdig", "Done")) { dismiss() }
                } else {
                    AsyncButton(model.rescheduling == nil ? t("Book", "Book") : t("Flyt aftalen", "Move the appointment")) {
                        await model.book()
                    }
                    .buttonStyle(.borderedProminent)
                }
            } footer: {
                Text(t("Advarsler stopper ikke bookingen; de er til din vurdering.", "Warnings do not stop the booking; they are for you to judge."))
            }
        }
        .navigationTitle(model.rescheduling == nil ? t("Ny aftale", "New appointment") : t("Flyt aftale", "Move appointment"))
        .task { await model.load() }
    }
}
