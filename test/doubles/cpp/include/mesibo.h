// The project's own declaration of mesibo's C++ API, for compiling the C++ starter where mesibo is not
// installed, for the fake libmesibo, and for linking against the real libmesibo.so of mesibo's PyPI wheel.
//
// Source of every name and signature: mesibo's public header, github.com/mesibo/libmesibo include/mesibo.h
// (MESIBO_INTERFACE_VERSION 4, commit c544be7 of 2024-11-21). Nothing is copied from it; it is written
// from the signatures.
//
// Why whole classes: libmesibo.so exports only C functions (MesiboInstance and a few more, `nm -D`); all
// else is reached through pure virtual interfaces, so a call lands on whatever sits at its vtable slot.
// Mesibo, MesiboMessageProperties, MesiboMessage and MesiboListener are therefore declared completely,
// in the header's order (the Itanium C++ ABI lays virtual functions out in declaration order, overloads
// included), with the data members of MesiboMessageProperties in place. Classes the starter only passes
// around by pointer (MesiboPresence, MesiboDateTime, MesiboReadSession, MesiboEndToEndEncryption) are
// declared but not defined, which cannot misplace a slot. test/cpp-real-sdk.test.ts calls through these
// slots into the real library and checks the answers.
#pragma once

#include <inttypes.h>

// Result codes (mesibo.h MESIBO_RESULT_*).
#define MESIBO_RESULT_OK 0
#define MESIBO_RESULT_FAIL 0x80

// Connection status (mesibo.h MESIBO_STATUS_*); 10 is spelled SUSPEND in C++, as in iOS.
#define MESIBO_STATUS_UNKNOWN 0
#define MESIBO_STATUS_ONLINE 1
#define MESIBO_STATUS_OFFLINE 2
#define MESIBO_STATUS_SIGNOUT 3
#define MESIBO_STATUS_AUTHFAIL 4
#define MESIBO_STATUS_STOPPED 5
#define MESIBO_STATUS_CONNECTING 6
#define MESIBO_STATUS_CONNECTFAILURE 7
#define MESIBO_STATUS_NONETWORK 8
#define MESIBO_STATUS_ONPREMISEERROR 9
#define MESIBO_STATUS_SUSPEND 10
#define MESIBO_STATUS_UPDATE 20
#define MESIBO_STATUS_MANDUPDATE 21
#define MESIBO_STATUS_SHUTDOWN 22

// Message status (mesibo.h MESIBO_MSGSTATUS_*): OUTBOX until mesibo's server has it; 0x80 and up are failures.
#define MESIBO_MSGSTATUS_OUTBOX 0
#define MESIBO_MSGSTATUS_SENT 1
#define MESIBO_MSGSTATUS_DELIVERED 2
#define MESIBO_MSGSTATUS_READ 3
#define MESIBO_MSGSTATUS_RECEIVEDNEW 0x12
#define MESIBO_MSGSTATUS_FAIL 0x80

// mesibo.h struct _MesiboData: the raw bytes of a plain (not rich) message.
typedef struct _MesiboData {
  char *data;
  uint32_t len;
  uint8_t type;
} MesiboData;

struct _MesiboFle;  // mesibo.h spells the tag so; MesiboFile is its typedef
typedef struct _MesiboFle MesiboFile;
class MesiboDateTime;
class MesiboPresence;
class MesiboReadSession;
class MesiboEndToEndEncryption;

// mesibo.h class MesiboMessageProperties: every virtual in its order.
class MesiboMessageProperties {
 public:
  uint64_t mid;
  uint32_t uid;
  uint32_t groupid;
  const char *peer;

  virtual ~MesiboMessageProperties() {}
  virtual void setType(int type) = 0;
  virtual int getType() = 0;
  virtual void setExpiry(int expiry) = 0;
  virtual int getExpiry() = 0;
  virtual void setStatus(int status) = 0;
  virtual int getStatus() = 0;
  virtual void setInReplyTo(uint64_t mid) = 0;
  virtual uint64_t getInReplyTo() = 0;
  virtual int isReply() = 0;
  virtual int isIncoming() = 0;
  virtual int isSent() = 0;
  virtual int isDelivered() = 0;
  virtual int isReadByPeer() = 0;
  virtual int isReadByUs() = 0;
  virtual int isUnread() = 0;
  virtual void markDeleted(int enable) = 0;
  virtual void markWiped(int enable) = 0;
  virtual int isDeleted() = 0;
  virtual int isWiped() = 0;
  virtual int isModified() = 0;
  virtual int isModifiedByPeer() = 0;
  virtual int isUpdated() = 0;
  virtual int isDynamic() = 0;
  virtual int isFileTransferFailed() = 0;
  virtual int isForwarded() = 0;
  virtual int isEndToEndEncrypted() = 0;
  virtual int isEndToEndEncryptionStatus() = 0;
  virtual int isPresence() = 0;
  virtual int isRichMessage() = 0;
  virtual int isPlainMessage() = 0;
  virtual int isSavedMessage() = 0;
  virtual int isCustom() = 0;
  virtual int isDate() = 0;
  virtual int isHeader() = 0;
  virtual int isInvisible() = 0;
  virtual int isMissedCall() = 0;
  virtual int isIncomingCall() = 0;
  virtual int isOutgoingCall() = 0;
  virtual int isCall() = 0;
  virtual int isVideoCall() = 0;
  virtual int isVoiceCall() = 0;
  virtual int isMessage() = 0;
  virtual int isPstnCall() = 0;
  virtual int getCallDuration() = 0;
  virtual int isOutgoing() = 0;
  virtual int isInOutbox() = 0;
  virtual int isLastMessage() = 0;
  virtual int isDbMessage() = 0;
  virtual int isDbSummaryMessage() = 0;
  virtual int isChatListMessage() = 0;
  virtual int isRealtimeMessage() = 0;
  virtual int isPendingMessage() = 0;
  virtual int isGroupMessage() = 0;
  virtual int isFailed() = 0;
  virtual int compare(const char *peer, uint32_t groupid) = 0;
  virtual int compare(MesiboMessageProperties *other) = 0;
  virtual void setPeer(const char *peer) = 0;
  virtual void setGroup(uint32_t groupid) = 0;
  virtual void enableFlag(uint64_t flag, int enable) = 0;
  virtual void enableTransient(int enable) = 0;
  virtual void enablePresence(int enable) = 0;
  virtual void enableReadReceipt(int enable) = 0;
  virtual void enableDeliveryReceipt(int enable) = 0;
  virtual void enableCustom(int enable) = 0;
  virtual void enableModify(int enable) = 0;
  virtual void enableBroadcast(int enable) = 0;
  virtual MesiboDateTime *getTimestamp() = 0;
  virtual MesiboDateTime *getDeliveryTimestamp(const char *peer) = 0;
  virtual MesiboDateTime *getReadTimestamp(const char *peer) = 0;
};

// mesibo.h class MesiboMessage: every virtual in its order. A rich message carries getMessage(); a plain
// one only getData() (mesibo/libmesibo examples/mesibo.cpp reads one or the other by isRichMessage()).
class MesiboMessage : public MesiboMessageProperties {
 public:
  virtual ~MesiboMessage() {}
  virtual void setMessage(const char *message) = 0;
  virtual void setTitle(const char *title) = 0;
  virtual void setSubtitle(const char *subtitle) = 0;
  virtual void setData(MesiboData *data) = 0;
  virtual void setContent(const char *fileOrUrl) = 0;
  virtual void setContentType(int type) = 0;
  virtual void setThumbnail(const char *thumbnail, uint16_t len) = 0;
  virtual void setLatitude(double latitude) = 0;
  virtual void setLongitude(double longitude) = 0;
  virtual const char *getMessage() = 0;
  virtual const char *getTitle() = 0;
  virtual const char *getSubtitle() = 0;
  virtual MesiboData *getData() = 0;
  virtual const MesiboFile *getContent() = 0;
  virtual double getLatitude() = 0;
  virtual double getLongitude() = 0;
  virtual int send(void) = 0;
  virtual int resend() = 0;
  virtual MesiboMessage *forward(const char *peer) = 0;
  virtual MesiboMessage *forward(uint32_t groupid) = 0;
  virtual int deleteMessage() = 0;
  virtual int wipe() = 0;
  virtual int recall() = 0;
  virtual int wipeAndRecall() = 0;
  virtual int mayBeRetracted() = 0;
  virtual void free() = 0;
};

// mesibo.h class MesiboListener: the library calls these slots on the application's object.
class MesiboListener {
 public:
  virtual ~MesiboListener() {}
  virtual int Mesibo_onMessage(MesiboMessage *message) = 0;
  virtual int Mesibo_onMessageUpdate(MesiboMessage *message) = 0;
  virtual int Mesibo_onMessageStatus(MesiboMessage *message) = 0;
  virtual int Mesibo_onPresence(MesiboPresence *presence) = 0;
  virtual int Mesibo_onConnectionStatus(int status) = 0;
  virtual void Mesibo_onEndToEndEncryption(const char *address, int status) = 0;
};

// mesibo.h class Mesibo: every virtual in its order.
class Mesibo {
 public:
  virtual ~Mesibo() {}
  virtual int getConnectionStatus() = 0;
  virtual int setPath(const char *path) = 0;
  virtual const char *getBasePath() = 0;
  virtual const char *getDatabasePath() = 0;
  virtual const char *getImagePath(int sent) = 0;
  virtual const char *getVideoPath(int sent) = 0;
  virtual const char *getAudioPath(int sent) = 0;
  virtual const char *getDocumentPath(int sent) = 0;
  virtual int setDatabase(const char *nameWithPath, int resetTables) = 0;
  virtual int resetDatabase(int tables) = 0;
  virtual int backupDatabase(const char *path) = 0;
  virtual int restoreDatabase(const char *path) = 0;
  virtual int setAccessToken(const char *token) = 0;
  virtual MesiboEndToEndEncryption *e2ee() = 0;
  virtual void setOnlineStatusMode(int mode) = 0;
  virtual void setUploadUrl(const char *url, const char *authToken) = 0;
  virtual int addListener(MesiboListener *listener) = 0;
  virtual uint64_t getTimestamp() = 0;
  virtual int resend(uint64_t mid) = 0;
  virtual int sendPresence(const char *peer, uint32_t groupid, uint32_t presence, uint32_t value, int interval) = 0;
  virtual int setBufferLen(int len, int empty) = 0;
  virtual int setMessageRetractionInterval(uint32_t interval) = 0;
  virtual int getMessageRetractionInterval() = 0;
  virtual void setRemoteRetractionPolicy(int policy) = 0;
  virtual int wipeMessages(uint64_t *mids, uint32_t count, int remote) = 0;
  virtual int wipeMessage(uint64_t mid, int remote) = 0;
  virtual int wipeMessage(uint64_t mid) = 0;
  virtual int deleteMessages(uint64_t *mids, uint32_t count, int remote) = 0;
  virtual int deleteMessage(uint64_t mid, int remote) = 0;
  virtual int deleteMessage(uint64_t mid) = 0;
  virtual int deleteMessages(const char *from, uint32_t groupid, uint32_t ts) = 0;
  virtual int cancel(int type, uint64_t mid) = 0;
  virtual MesiboReadSession *createReadSession(const char *from, uint32_t groupid, const char *query,
                                               MesiboListener *listener) = 0;
  virtual int start() = 0;
  virtual int stop() = 0;
  virtual int reconnect() = 0;
  virtual int wait() = 0;
  virtual uint32_t getUid() = 0;
  virtual const char *getAddress() = 0;
  virtual void setAppName(const char *name) = 0;  // mesibo.h: deprecated, use setAppId
  virtual void setAppId(const char *appid) = 0;
  virtual uint32_t random() = 0;
  virtual uint32_t getUniqueMessageId() = 0;
  virtual uint32_t getSenderMessageId(uint64_t mid) = 0;
  virtual int setKey(const char *key, const char *value) = 0;
  virtual const char *readKey(const char *key) = 0;
  virtual int deleteKey(const char *key) = 0;
  virtual int setConfig(uint32_t type, uint32_t value) = 0;
  virtual int setConfig(uint32_t type, const char *value) = 0;
  virtual int isAccountSuspended() = 0;
  virtual int isAccountPaid() = 0;
  virtual MesiboMessage *newMessage(const char *to, uint32_t groupid) = 0;
  virtual MesiboMessage *newMessage(const char *to) = 0;
  virtual MesiboMessage *newMessage(uint32_t groupid) = 0;
  virtual MesiboPresence *newPresence(const char *to, uint32_t groupid) = 0;
  virtual MesiboMessage *p_newMessage(const char *to) = 0;  // mesibo.h: for its code generators only
  virtual MesiboMessage *p_newGroupMessage(uint32_t groupid) = 0;
  virtual MesiboPresence *p_newPresence(const char *to) = 0;
  virtual MesiboPresence *p_newGroupPresence(uint32_t groupid) = 0;
};

// mesibo.h: the library's C entry points (the only symbols libmesibo.so exports for C++ use).
extern "C" Mesibo *MesiboInstance(uint32_t bufsize);
extern "C" int MesiboInterfaceVersion();
