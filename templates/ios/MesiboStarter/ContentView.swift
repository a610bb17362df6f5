import SwiftUI

/// Log in as one demo user and chat with the other: run the app on two simulators or devices, one per user.
struct ContentView: View {
    @StateObject private var chat = ChatModel()
    @State private var draft = ""

    var body: some View {
        VStack(alignment: .leading, spacing: 12) {
            if let me = chat.me {
                Text("Logged in as \(me.address)")
                    .font(.headline)
            }
            Text(chat.status)
                .font(.subheadline)

            HStack {
                ForEach(ChatModel.demoUsers.indices, id: \.self) { i in
                    Button("Log in as \(ChatModel.demoUsers[i].address)") {
                        chat.logIn(as: ChatModel.demoUsers[i], chattingWith: ChatModel.demoUsers[1 - i])
                    }
                    .buttonStyle(.borderedProminent)
                    // mesibo runs as one user per app process, so the choice is final until the app restarts.
                    .disabled(chat.me != nil)
                }
            }

            List(chat.lines) { line in
                Text(line.text)
                    .frame(maxWidth: .infinity, alignment: line.outgoing ? .trailing : .leading)
            }
            .listStyle(.plain)

            HStack {
                TextField("Message", text: $draft)
                    .textFieldStyle(.roundedBorder)
                    .onSubmit(send)
                Button("Send", action: send)
                    .disabled(!chat.online)
            }
        }
        .padding()
    }

    private func send() {
        chat.send(draft)
        draft = ""
    }
}

struct ContentView_Previews: PreviewProvider {
    static var previews: some View {
        ContentView()
    }
}
