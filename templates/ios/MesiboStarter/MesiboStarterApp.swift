import SwiftUI

@main
struct MesiboStarterApp: App {
    var body: some Scene {
        WindowGroup {
            ContentView()
        }
    }
}
