// The part of mesibo's iOS SDK the starter uses, as Swift sees it through `import mesibo`. No Swift compiler
// for iOS runs on Linux, so the tests compare the starter against these declarations, and these against the
// real header: test/ios-header.test.ts imports mesibo's Objective-C header the way Swift does and requires
// every declaration here to be one of its imports, signature and all.
//
// Source of every name: mesibo/mesiboframeworks, mesibo.framework/Headers/Mesibo.h at tag v2.7.18 (the pod
// the starter pins; the same lines at v2.9.0). Each comment gives the line and the Objective-C declaration
// in short. The header has no NS_ASSUME_NONNULL region: what it does not annotate would import as `T!`;
// every declaration used here is annotated.
import Foundation

// Integer macros import as Int32 constants: `#define MESIBO_STATUS_... <n>`, Mesibo.h:40-50.
let MESIBO_STATUS_UNKNOWN: Int32 = 0 // Mesibo.h:40
let MESIBO_STATUS_ONLINE: Int32 = 1 // Mesibo.h:41
let MESIBO_STATUS_OFFLINE: Int32 = 2 // Mesibo.h:42
let MESIBO_STATUS_SIGNOUT: Int32 = 3 // Mesibo.h:43
let MESIBO_STATUS_AUTHFAIL: Int32 = 4 // Mesibo.h:44
let MESIBO_STATUS_STOPPED: Int32 = 5 // Mesibo.h:45
let MESIBO_STATUS_CONNECTING: Int32 = 6 // Mesibo.h:46
let MESIBO_STATUS_CONNECTFAILURE: Int32 = 7 // Mesibo.h:47
let MESIBO_STATUS_NONETWORK: Int32 = 8 // Mesibo.h:48
let MESIBO_STATUS_ONPREMISEERROR: Int32 = 9 // Mesibo.h:49
let MESIBO_STATUS_SUSPEND: Int32 = 10 // Mesibo.h:50 (SUSPEND here; Android's is STATUS_SUSPENDED)

// `@protocol MesiboDelegate <NSObject>`, Mesibo.h:1406; every method follows `@optional` (Mesibo.h:1409) and
// carries NS_SWIFT_NAME, which gives its Swift name and label. An optional requirement with a wrong label
// still compiles, and mesibo never calls it: the tests match these spellings exactly.
@objc protocol MesiboDelegate: NSObjectProtocol {
    // Mesibo.h:1418: -Mesibo_onConnectionStatus:(NSInteger) -> void; NSInteger imports as Int
    @objc optional func Mesibo_onConnectionStatus(status: Int)
    // Mesibo.h:1410: -Mesibo_onMessage:(MesiboMessage * _Nonnull) -> void
    @objc optional func Mesibo_onMessage(message: MesiboMessage)
    // Mesibo.h:1412: -Mesibo_onMessageStatus:(MesiboMessage * _Nonnull) -> void
    @objc optional func Mesibo_onMessageStatus(message: MesiboMessage)
    // Mesibo.h:1411: -Mesibo_onMessageUpdate:(MesiboMessage * _Nonnull) -> void
    @objc optional func Mesibo_onMessageUpdate(message: MesiboMessage)
}

// `@interface Mesibo : NSObject`, Mesibo.h:1464
class Mesibo: NSObject {
    // Mesibo.h:1466: +getInstance -> Mesibo * _Nonnull
    class func getInstance() -> Mesibo { fatalError() }
    // Mesibo.h:1484: -addListener:(nonnull id) -> BOOL
    func addListener(_ delegate: Any) -> Bool { fatalError() }
    // Mesibo.h:1473: -setAccessToken:(NSString * _Nullable) -> int
    func setAccessToken(_ accessToken: String?) -> Int32 { fatalError() }
    // Mesibo.h:1514: -setDatabase:(nullable NSString *) -> BOOL (the two-argument form above it is commented out)
    func setDatabase(_ name: String?) -> Bool { fatalError() }
    // Mesibo.h:1488: -start -> int
    func start() -> Int32 { fatalError() }
    // Mesibo.h:1594: -getProfile:(NSString * _Nullable) groupid:(uint32_t) -> MesiboProfile * _Nonnull
    func getProfile(_ peer: String?, groupid: UInt32) -> MesiboProfile { fatalError() }
}

// `@interface MesiboProfile : NSObject`, Mesibo.h:544
class MesiboProfile: NSObject {
    // Mesibo.h:704: -newMessage -> MesiboMessage * _Nonnull
    func newMessage() -> MesiboMessage { fatalError() }
    // Mesibo.h:629: -getNameOrAddress -> NSString * _Nonnull (no argument on iOS)
    func getNameOrAddress() -> String { fatalError() }
}

// `@interface MesiboMessageProperties : NSObject`, Mesibo.h:821: what messages and presence share.
class MesiboMessageProperties: NSObject {
    // Mesibo.h:822: @property (nullable) NSString *peer
    var peer: String?
    // Mesibo.h:836: @property (nullable) MesiboProfile *profile
    var profile: MesiboProfile?
    // Mesibo.h:878: -isIncoming -> BOOL
    func isIncoming() -> Bool { fatalError() }
    // Mesibo.h:900: -isRichMessage -> BOOL
    func isRichMessage() -> Bool { fatalError() }
}

// `@interface MesiboMessage : MesiboMessageProperties`, Mesibo.h:1095
class MesiboMessage: MesiboMessageProperties {
    // Mesibo.h:1096: @property (nullable) NSData *data: a plain message's bytes
    var data: Data?
    // Mesibo.h:1099: @property (nullable) NSString *message: a rich message's text
    var message: String?
    // Mesibo.h:1192: -send -> int
    func send() -> Int32 { fatalError() }
}
