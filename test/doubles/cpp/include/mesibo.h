// Test stub of mesibo's C++ header, to compile the C++ starter where mesibo is not installed.
//
// Names and signatures come from mesibo-reference.md: MesiboInstance; Mesibo::setAccessToken, setAppName,
// addListener, setDatabase, start, wait, newMessage; MesiboMessage::setMessage, send, free; MesiboListener
// with its six pure virtual callbacks; MesiboPresence; MESIBO_RESULT_OK/FAIL and the connection status
// values. UNSURE in the reference, taken from mesibo's public header (github.com/mesibo/libmesibo,
// include/mesibo.h): the MESIBO_STATUS_* macro names, and MesiboMessageProperties with `peer` and
// isIncoming(), MesiboMessage::getMessage() for reading a received message. Signatures match that header.
#pragma once

#include <inttypes.h>

#define MESIBO_RESULT_OK 0
#define MESIBO_RESULT_FAIL 0x80

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

class MesiboMessageProperties {
 public:
  uint64_t mid;
  uint32_t uid;
  uint32_t groupid;
  const char *peer;

  virtual ~MesiboMessageProperties() {}
  virtual int isIncoming() = 0;
};

class MesiboMessage : public MesiboMessageProperties {
 public:
  virtual ~MesiboMessage() {}
  virtual void setMessage(const char *message) = 0;
  virtual const char *getMessage() = 0;
  virtual int send(void) = 0;
  virtual void free() = 0;
};

class MesiboPresence {
 public:
  virtual ~MesiboPresence() {}
};

class MesiboListener {
 public:
  virtual ~MesiboListener() {}
  virtual int Mesibo_onMessage(MesiboMessage *m) = 0;
  virtual int Mesibo_onMessageUpdate(MesiboMessage *m) = 0;
  virtual int Mesibo_onMessageStatus(MesiboMessage *m) = 0;
  virtual int Mesibo_onPresence(MesiboPresence *p) = 0;
  virtual int Mesibo_onConnectionStatus(int status) = 0;
  virtual void Mesibo_onEndToEndEncryption(const char *address, int status) = 0;
};

class Mesibo {
 public:
  virtual ~Mesibo() {}
  virtual int setDatabase(const char *dbNameWithPath, int resetTables) = 0;
  virtual int setAccessToken(const char *token) = 0;
  virtual int addListener(MesiboListener *listener) = 0;
  virtual int start() = 0;
  virtual int wait() = 0;
  virtual void setAppName(const char *name) = 0;
  virtual MesiboMessage *newMessage(const char *to) = 0;
};

extern "C" Mesibo *MesiboInstance(uint32_t bufsize);
