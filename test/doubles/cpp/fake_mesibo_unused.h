// Every virtual function of include/mesibo.h (mesibo/libmesibo include/mesibo.h, MESIBO_INTERFACE_VERSION 4),
// answering 0, nothing or MESIBO_RESULT_FAIL, so that the fake library's classes can be instantiated.
// fake_mesibo.cpp overrides the ones the C++ starter calls; every other one is unused by it.
#pragma once

#include <mesibo.h>

class UnusedMessage : public MesiboMessage {
 public:
  void setType(int) override {}
  int getType() override { return 0; }
  void setExpiry(int) override {}
  int getExpiry() override { return 0; }
  void setStatus(int) override {}
  int getStatus() override { return 0; }
  void setInReplyTo(uint64_t) override {}
  uint64_t getInReplyTo() override { return 0; }
  int isReply() override { return 0; }
  int isIncoming() override { return 0; }
  int isSent() override { return 0; }
  int isDelivered() override { return 0; }
  int isReadByPeer() override { return 0; }
  int isReadByUs() override { return 0; }
  int isUnread() override { return 0; }
  void markDeleted(int) override {}
  void markWiped(int) override {}
  int isDeleted() override { return 0; }
  int isWiped() override { return 0; }
  int isModified() override { return 0; }
  int isModifiedByPeer() override { return 0; }
  int isUpdated() override { return 0; }
  int isDynamic() override { return 0; }
  int isFileTransferFailed() override { return 0; }
  int isForwarded() override { return 0; }
  int isEndToEndEncrypted() override { return 0; }
  int isEndToEndEncryptionStatus() override { return 0; }
  int isPresence() override { return 0; }
  int isRichMessage() override { return 0; }
  int isPlainMessage() override { return 0; }
  int isSavedMessage() override { return 0; }
  int isCustom() override { return 0; }
  int isDate() override { return 0; }
  int isHeader() override { return 0; }
  int isInvisible() override { return 0; }
  int isMissedCall() override { return 0; }
  int isIncomingCall() override { return 0; }
  int isOutgoingCall() override { return 0; }
  int isCall() override { return 0; }
  int isVideoCall() override { return 0; }
  int isVoiceCall() override { return 0; }
  int isMessage() override { return 0; }
  int isPstnCall() override { return 0; }
  int getCallDuration() override { return 0; }
  int isOutgoing() override { return 0; }
  int isInOutbox() override { return 0; }
  int isLastMessage() override { return 0; }
  int isDbMessage() override { return 0; }
  int isDbSummaryMessage() override { return 0; }
  int isChatListMessage() override { return 0; }
  int isRealtimeMessage() override { return 0; }
  int isPendingMessage() override { return 0; }
  int isGroupMessage() override { return 0; }
  int isFailed() override { return 0; }
  int compare(const char *, uint32_t) override { return 0; }
  int compare(MesiboMessageProperties *) override { return 0; }
  void setPeer(const char *) override {}
  void setGroup(uint32_t) override {}
  void enableFlag(uint64_t, int) override {}
  void enableTransient(int) override {}
  void enablePresence(int) override {}
  void enableReadReceipt(int) override {}
  void enableDeliveryReceipt(int) override {}
  void enableCustom(int) override {}
  void enableModify(int) override {}
  void enableBroadcast(int) override {}
  MesiboDateTime *getTimestamp() override { return nullptr; }
  MesiboDateTime *getDeliveryTimestamp(const char *) override { return nullptr; }
  MesiboDateTime *getReadTimestamp(const char *) override { return nullptr; }
  void setMessage(const char *) override {}
  void setTitle(const char *) override {}
  void setSubtitle(const char *) override {}
  void setData(MesiboData *) override {}
  void setContent(const char *) override {}
  void setContentType(int) override {}
  void setThumbnail(const char *, uint16_t) override {}
  void setLatitude(double) override {}
  void setLongitude(double) override {}
  const char *getMessage() override { return nullptr; }
  const char *getTitle() override { return nullptr; }
  const char *getSubtitle() override { return nullptr; }
  MesiboData *getData() override { return nullptr; }
  const MesiboFile *getContent() override { return nullptr; }
  double getLatitude() override { return 0; }
  double getLongitude() override { return 0; }
  int send() override { return MESIBO_RESULT_FAIL; }
  int resend() override { return MESIBO_RESULT_FAIL; }
  MesiboMessage *forward(const char *) override { return nullptr; }
  MesiboMessage *forward(uint32_t) override { return nullptr; }
  int deleteMessage() override { return MESIBO_RESULT_FAIL; }
  int wipe() override { return MESIBO_RESULT_FAIL; }
  int recall() override { return MESIBO_RESULT_FAIL; }
  int wipeAndRecall() override { return MESIBO_RESULT_FAIL; }
  int mayBeRetracted() override { return 0; }
  void free() override {}
};

class UnusedMesibo : public Mesibo {
 public:
  int getConnectionStatus() override { return 0; }
  int setPath(const char *) override { return MESIBO_RESULT_FAIL; }
  const char *getBasePath() override { return nullptr; }
  const char *getDatabasePath() override { return nullptr; }
  const char *getImagePath(int) override { return nullptr; }
  const char *getVideoPath(int) override { return nullptr; }
  const char *getAudioPath(int) override { return nullptr; }
  const char *getDocumentPath(int) override { return nullptr; }
  int setDatabase(const char *, int) override { return MESIBO_RESULT_FAIL; }
  int resetDatabase(int) override { return MESIBO_RESULT_FAIL; }
  int backupDatabase(const char *) override { return MESIBO_RESULT_FAIL; }
  int restoreDatabase(const char *) override { return MESIBO_RESULT_FAIL; }
  int setAccessToken(const char *) override { return MESIBO_RESULT_FAIL; }
  MesiboEndToEndEncryption *e2ee() override { return nullptr; }
  void setOnlineStatusMode(int) override {}
  void setUploadUrl(const char *, const char *) override {}
  int addListener(MesiboListener *) override { return MESIBO_RESULT_FAIL; }
  uint64_t getTimestamp() override { return 0; }
  int resend(uint64_t) override { return MESIBO_RESULT_FAIL; }
  int sendPresence(const char *, uint32_t, uint32_t, uint32_t, int) override { return MESIBO_RESULT_FAIL; }
  int setBufferLen(int, int) override { return MESIBO_RESULT_FAIL; }
  int setMessageRetractionInterval(uint32_t) override { return MESIBO_RESULT_FAIL; }
  int getMessageRetractionInterval() override { return 0; }
  void setRemoteRetractionPolicy(int) override {}
  int wipeMessages(uint64_t *, uint32_t, int) override { return MESIBO_RESULT_FAIL; }
  int wipeMessage(uint64_t, int) override { return MESIBO_RESULT_FAIL; }
  int wipeMessage(uint64_t) override { return MESIBO_RESULT_FAIL; }
  int deleteMessages(uint64_t *, uint32_t, int) override { return MESIBO_RESULT_FAIL; }
  int deleteMessage(uint64_t, int) override { return MESIBO_RESULT_FAIL; }
  int deleteMessage(uint64_t) override { return MESIBO_RESULT_FAIL; }
  int deleteMessages(const char *, uint32_t, uint32_t) override { return MESIBO_RESULT_FAIL; }
  int cancel(int, uint64_t) override { return MESIBO_RESULT_FAIL; }
  MesiboReadSession *createReadSession(const char *, uint32_t, const char *, MesiboListener *) override { return nullptr; }
  int start() override { return MESIBO_RESULT_FAIL; }
  int stop() override { return MESIBO_RESULT_FAIL; }
  int reconnect() override { return MESIBO_RESULT_FAIL; }
  int wait() override { return MESIBO_RESULT_FAIL; }
  uint32_t getUid() override { return 0; }
  const char *getAddress() override { return nullptr; }
  void setAppName(const char *) override {}
  void setAppId(const char *) override {}
  uint32_t random() override { return 0; }
  uint32_t getUniqueMessageId() override { return 0; }
  uint32_t getSenderMessageId(uint64_t) override { return 0; }
  int setKey(const char *, const char *) override { return MESIBO_RESULT_FAIL; }
  const char *readKey(const char *) override { return nullptr; }
  int deleteKey(const char *) override { return MESIBO_RESULT_FAIL; }
  int setConfig(uint32_t, uint32_t) override { return MESIBO_RESULT_FAIL; }
  int setConfig(uint32_t, const char *) override { return MESIBO_RESULT_FAIL; }
  int isAccountSuspended() override { return 0; }
  int isAccountPaid() override { return 0; }
  MesiboMessage *newMessage(const char *, uint32_t) override { return nullptr; }
  MesiboMessage *newMessage(const char *) override { return nullptr; }
  MesiboMessage *newMessage(uint32_t) override { return nullptr; }
  MesiboPresence *newPresence(const char *, uint32_t) override { return nullptr; }
  MesiboMessage *p_newMessage(const char *) override { return nullptr; }
  MesiboMessage *p_newGroupMessage(uint32_t) override { return nullptr; }
  MesiboPresence *p_newPresence(const char *) override { return nullptr; }
  MesiboPresence *p_newGroupPresence(uint32_t) override { return nullptr; }
};
