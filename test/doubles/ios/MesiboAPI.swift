// The part of mesibo's iOS SDK the starter uses, as Swift sees it (the Objective-C header imported by
// `import mesibo`). Names come from mesibo-reference.md; the Swift spellings (argument labels, optional
// delegate requirements, Int32 status constants) follow the NS_SWIFT_NAME annotations of mesibo's header.
// No Swift compiler for iOS runs on Linux, so the test compares the starter against these declarations:
// an optional delegate method with a misspelled label would compile and silently never be called.
import Foundation

let MESIBO_STATUS_UNKNOWN: Int32 = 0
let MESIBO_STATUS_ONLINE: Int32 = 1
let MESIBO_STATUS_OFFLINE: Int32 = 2
let MESIBO_STATUS_SIGNOUT: Int32 = 3
let MESIBO_STATUS_AUTHFAIL: Int32 = 4
let MESIBO_STATUS_STOPPED: Int32 = 5
let MESIBO_STATUS_CONNECTING: Int32 = 6
let MESIBO_STATUS_CONNECTFAILURE: Int32 = 7
let MESIBO_STATUS_NONETWORK: Int32 = 8
let MESIBO_STATUS_ONPREMISEERROR: Int32 = 9
let MESIBO_STATUS_SUSPEND: Int32 = 10

@objc protocol MesiboDelegate: NSObjectProtocol {
    @objc optional func Mesibo_onConnectionStatus(status: Int)
    @objc optional func Mesibo_onMessage(message: MesiboMessage)
    @objc optional func Mesibo_onMessageStatus(message: MesiboMessage)
    @objc optional func Mesibo_onMessageUpdate(message: MesiboMessage)
}

class Mesibo: NSObject {
    class func getInstance() -> Mesibo { fatalError() }
    func addListener(_ delegate: Any) -> Bool { fatalError() }
    func setAccessToken(_ accessToken: String?) -> Int32 { fatalError() }
    func setDatabase(_ name: String?) -> Bool { fatalError() }
    func start() -> Int32 { fatalError() }
    func getProfile(_ peer: String?, groupid: UInt32) -> MesiboProfile { fatalError() }
}

class MesiboProfile: NSObject {
    func newMessage() -> MesiboMessage { fatalError() }
    func getNameOrAddress() -> String { fatalError() }
}

class MesiboMessage: NSObject {
    var message: String?
    var profile: MesiboProfile?
    func isIncoming() -> Bool { fatalError() }
    func send() -> Int32 { fatalError() }
}
