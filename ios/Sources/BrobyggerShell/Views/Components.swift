import SwiftUI

/// A row that lays out side by side, and stacked at the accessibility text sizes, so
/// nothing is cut off when the worker uses large Dynamic Type.
struct AdaptiveStack<Content: View>: View {
    @Environment(\.dynamicTypeSize) private var size
    let spacing: CGFloat
    let content: () -> Content

    init(spacing: CGFloat = 8, @ViewBuilder content: @escaping () -> Content) {
        self.spacing = spacing
        self.content = content
    }

    var body: some View {
        if size.isAccessibilitySize {
            VStack(alignment: .leading, spacing: spacing, content: content)
        } else {
            HStack(alignment: .firstTextBaseline, spacing: spacing, content: content)
        }
    }
}

/// A message from the core or the shell, with an icon that VoiceOver does not read twice.
struct Banner: View {
    enum Tone { case info, warning, error }
    let text: String
    var tone: Tone = .info

    var body: some View {
        Label {
            Text(text).fixedSize(horizontal: false, vertical: true)
        } icon: {
            Image(systemName: icon).foregroundStyle(color).accessibilityHidden(true)
        }
        .font(.callout)
        .accessibilityElement(children: .combine)
        .accessibilityAddTraits(tone == .error ? .isStaticText : [])
    }

    private var icon: String {
        switch tone {
        case .info: return "info.circle"
        case .warning: return "exclamationmark.triangle"
        case .error: return "xmark.octagon"
        }
    }

    private var color: Color {
        switch tone {
        case .info: return .accentColor
        case .warning: return .orange
        case .error: return .red
        }
    }
}

/// The message of a screen model, if any.
struct MessageSection: View {
    let message: String?

    var body: some View {
        if let message {
            Section { Banner(text: message, tone: .error) }
        }
    }
}

/// A labelled value, read by VoiceOver as "label, value".
struct ValueRow: View {
    let label: String
    let value: String

    var body: some View {
        AdaptiveStack {
            Text(label).foregroundStyle(.secondary)
            Spacer(minLength: 8)
            Text(value).multilineTextAlignment(.trailing)
        }
        .accessibilityElement(children: .combine)
    }
}

/// A multi-choice list of the core's values (topics, help given), as toggles VoiceOver
/// reads with their state.
struct ChoiceList<Value: Hashable>: View {
    let values: [Value]
    @Binding var selected: [Value]
    let label: (Value) -> String

    var body: some View {
        ForEach(values, id: \.self) { value in
            Toggle(label(value), isOn: Binding(
                get: { selected.contains(value) },
                set: { on in
                    if on, !selected.contains(value) { selected.append(value) }
                    if !on { selected.removeAll { $0 == value } }
                }))
        }
    }
}

/// Runs an async action from a button, disabled while it runs.
struct AsyncButton<Label: View>: View {
    let role: ButtonRole?
    let action: () async -> Void
    let label: () -> Label
    @State private var running = false

    init(role: ButtonRole? = nil, action: @escaping () async -> Void, @ViewBuilder label: @escaping () -> Label) {
        self.role = role
        self.action = action
        self.label = label
    }

    var body: some View {
        Button(role: role) {
            running = true
            Task {
                await action()
                running = false
            }
        } label: {
            label()
        }
        .disabled(running)
    }
}

extension AsyncButton where Label == Text {
    init(_ title: String, role: ButtonRole? = nil, action: @escaping () async -> Void) {
        self.init(role: role, action: action) { Text(title) }
    }
}
