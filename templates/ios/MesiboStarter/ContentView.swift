import SwiftUI

/// Log in as one user of the project and chat with the others: run the app on two simulators or devices
/// and log in as a different user on each.
struct ContentView: View {
    @State private var chat = ChatModel()
    @State private var draft = ""

    var body: some View {
        NavigationStack {
            Group {
                if chat.me != nil {
                    conversation
                } else {
                    logIn
                }
            }
            .navigationTitle(chat.me.map { "Logged in as \($0.address)" } ?? "mesibo")
            .navigationBarTitleDisplayMode(.inline)
        }
    }

    private var logIn: some View {
        List {
            Section {
                ForEach(ChatModel.users) { user in
                    Button(user.address) { chat.logIn(as: user) }
                }
            } header: {
                Text("Log in as")
            } footer: {
                Text(chat.status)
            }
        }
    }

    private var conversation: some View {
        VStack(alignment: .leading, spacing: 12) {
            Text(chat.status)
                .font(.subheadline)
            LabeledContent("To") {
                Picker("To", selection: $chat.peer) {
                    ForEach(chat.others) { user in
                        Text(user.address).tag(user as DemoUser?)
                    }
                }
                .labelsHidden()
            }
            List(chat.lines) { line in
                Text(line.text)
                    .frame(maxWidth: .infinity, alignment: line.outgoing ? .trailing : .leading)
            }
            .listStyle(.plain)
            .defaultScrollAnchor(.bottom)
            HStack {
                TextField("Message", text: $draft)
                    .textFieldStyle(.roundedBorder)
                    .onSubmit(send)
                Button("Send", action: send)
                    .disabled(!chat.online || chat.peer == nil)
            }
        }
        .padding()
    }

    private func send() {
        chat.send(draft)
        draft = ""
    }
}

#Preview {
    ContentView()
}
