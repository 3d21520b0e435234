import BrobyggerCore
import BrobyggerPlatformLogic
import Foundation

/// Booking an appointment: as the form changes the core previews it (warnings with their
/// details, the reminders with local send times and texts, or why none); booking keeps it.
/// The booking goes through with warnings: they are for the worker to judge.
@MainActor
public final class BookingModel: ScreenModel {
    public let citizenId: String
    /// When set, the booking moves this appointment instead of making a new one.
    public let rescheduling: String?
    @Published public var start: Date { didSet { changed() } }
    @Published public var durationMinutes = 60 { didSet { changed() } }
    @Published public var kind: AppointmentKind = .conversation { didSet { changed() } }
    @Published public var venueId: String? = nil { didSet { changed() } }
    @Published public var outsidePlace = "" { didSet { changed() } }
    @Published public private(set) var venues: [Venue] = []
    @Published public private(set) var preview: Booking? = nil
    @Published public private(set) var booked: Booking? = nil
    private var previewTask: Task<Void, Never>?

    public init(core: CoreClient, citizenId: String, rescheduling: String? = nil, start: Date = Date()) {
        self.citizenId = citizenId
        self.rescheduling = rescheduling
        let hour = Calendar.current.nextDate(
            after: start, matching: DateComponents(minute: 0), matchingPolicy: .nextTime) ?? start
        self.start = hour
        super.init(core: core)
    }

    /// The wall-clock start the core books: the picker's date in the phone's calendar,
    /// read by the core in the venue's zone.
    public var localStart: DateComponents { WallClock.dateTime(of: start, calendar: .current) }

    private var request: NewAppointment {
        NewAppointment(
            citizenId: citizenId,
            venueId: venueId,
            localStart: localStart,
            durationMinutes: UInt32(max(5, durationMinutes)),
            kind: kind,
            outsidePlace: outsidePlace.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : outsidePlace)
    }

    public func load() async {
        await perform { venues = try await core.read { try $0.listVenues() } }
        if venueId == nil { venueId = venues.first?.id }
        await refreshPreview()
    }

    private func changed() {
        previewTask?.cancel()
        previewTask = Task { [weak self] in
            try? await Task.sleep(for: .milliseconds(300))
            guard !Task.isCancelled else { return }
            await self?.refreshPreview()
        }
    }

    public func refreshPreview() async {
        let request = self.request
        await perform { preview = try await core.read { try $0.previewBooking(appointment: request) } }
    }

    public func book() async {
        let request = self.request
        let minutes = request.durationMinutes
        if let id = rescheduling {
            let start = request.localStart
            await perform {
                booked = try await core.write("booking") {
                    try $0.rescheduleAppointment(id: id, localStart: start, durationMinutes: minutes)
                }
            }
        } else {
            await perform { booked = try await core.write("booking") { try $0.bookAppointment(appointment: request) } }
        }
    }
}
