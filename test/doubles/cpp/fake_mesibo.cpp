// Fake libmesibo for the C++ starter's tests: implements include/mesibo.h (the project's declaration of
// mesibo/libmesibo include/mesibo.h) and records every call as a JSON line in $MESIBO_FAKE_LOG.
// Behaviour, as the real library shows it (test/cpp-real-sdk.test.ts runs the starter on that one):
// - start(): CONNECTING, then $MESIBO_FAKE_STATUS (default ONLINE; "none" reports nothing, as mesibo
//   2.7.1 does since 2026-11-21), on a thread of the library's own.
// - when online, from $MESIBO_FAKE_FROM: a rich message whose text is in getMessage() ($MESIBO_FAKE_RICH)
//   and a plain one whose text is only in getData() ($MESIBO_FAKE_PLAIN), each if set.
// - send(): the message is handed to Mesibo_onMessage at once, on the caller's thread and as a plain
//   message (the real library does both); it waits in the outbox until online, then, one after the other,
//   each takes $MESIBO_FAKE_SEND_MS milliseconds to reach the server ("transmitted" in the log) and
//   reports SENT, DELIVERED and READ to Mesibo_onMessageStatus.
#include "fake_mesibo_unused.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <queue>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace {

std::string quote(const std::string &s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') out += '\\', out += static_cast<char>(c);
    else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else out += static_cast<char>(c);
  }
  return out + "\"";
}

std::mutex logMutex;

void record(const std::string &call, const std::vector<std::pair<std::string, std::string>> &args = {}) {
  std::string line = "{\"call\":" + quote(call);
  for (const auto &[key, value] : args) line += "," + quote(key) + ":" + value;
  line += "}\n";
  std::lock_guard<std::mutex> lock(logMutex);
  if (FILE *log = std::fopen(std::getenv("MESIBO_FAKE_LOG"), "a")) {
    std::fputs(line.c_str(), log);
    std::fclose(log);
  }
}

const char *env(const char *name, const char *fallback = nullptr) {
  const char *value = std::getenv(name);
  return value ? value : fallback;
}

// Runs callbacks one after another on a thread of its own, as mesibo does.
class EventThread {
 public:
  void post(std::function<void()> event) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      events_.push(std::move(event));
    }
    ready_.notify_one();
  }
  void start() {
    std::thread([this] {
      for (;;) {
        std::unique_lock<std::mutex> lock(mutex_);
        ready_.wait(lock, [this] { return !events_.empty(); });
        auto event = std::move(events_.front());
        events_.pop();
        lock.unlock();
        event();
      }
    }).detach();
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::queue<std::function<void()>> events_;
};

std::atomic<uint64_t> nextMid{1000};

class FakeMessage : public UnusedMessage {
 public:
  FakeMessage(std::string to, int status, bool rich) : to_(std::move(to)), status_(status), rich_(rich) {
    mid = nextMid++;
    uid = 0;
    groupid = 0;
    peer = to_.c_str();
  }
  // MesiboMessageProperties (include/mesibo.h)
  int isIncoming() override { return status_ == MESIBO_MSGSTATUS_RECEIVEDNEW; }
  int isRichMessage() override { return rich_; }
  int getStatus() override { return status_; }
  void setStatus(int status) override { status_ = status; }
  // MesiboMessage (include/mesibo.h)
  void setMessage(const char *message) override { text_ = message; }
  const char *getMessage() override { return rich_ ? text_.c_str() : nullptr; }
  MesiboData *getData() override {
    data_ = {const_cast<char *>(text_.data()), static_cast<uint32_t>(text_.size()), kDataTypeMessage};
    return rich_ ? nullptr : &data_;
  }
  int send(void) override;
  void free() override {
    record("free");
    delete this;
  }
  std::string text_;

 private:
  static constexpr uint8_t kDataTypeMessage = 0;  // mesibo.h MESIBO_DATATYPE_MESSAGE
  std::string to_;
  int status_;
  bool rich_;
  MesiboData data_{};
};

class FakeMesibo : public UnusedMesibo {
 public:
  // Mesibo (include/mesibo.h): setAccessToken, addListener, setAppId, getConnectionStatus, start, stop and
  // newMessage(const char *), the calls the starter makes.
  int setAccessToken(const char *token) override {
    record("setAccessToken", {{"token", quote(token)}});
    // Real tokens are 64 characters of [0-9A-Za-z]; anything else (e.g. the .example placeholder) fails.
    std::string t = token;
    bool ok = t.size() == 64;
    for (char c : t) ok = ok && ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'));
    return ok ? MESIBO_RESULT_OK : MESIBO_RESULT_FAIL;
  }
  int addListener(MesiboListener *listener) override {
    record("addListener");
    listeners_.push_back(listener);
    return MESIBO_RESULT_OK;
  }
  void setAppId(const char *appid) override { record("setAppId", {{"appid", quote(appid)}}); }
  int getConnectionStatus() override { return status_; }
  int start() override {
    record("start");
    const std::string final = env("MESIBO_FAKE_STATUS", "1");
    if (final != "none") {
      events_.post([this] { connection(MESIBO_STATUS_CONNECTING); });
      events_.post([this, final] { connection(std::atoi(final.c_str())); });
    }
    events_.start();
    return MESIBO_RESULT_OK;
  }
  int stop() override {
    record("stop");
    return MESIBO_RESULT_OK;
  }
  MesiboMessage *newMessage(const char *to) override { return new FakeMessage(to, MESIBO_MSGSTATUS_OUTBOX, false); }

  // From FakeMessage::send(), on the caller's thread.
  void queue(FakeMessage *sent) {
    auto *echo = new FakeMessage(sent->peer, MESIBO_MSGSTATUS_OUTBOX, false);
    echo->text_ = sent->text_;
    deliver("message", [echo](MesiboListener *l) { return l->Mesibo_onMessage(echo); });
    auto *copy = new FakeMessage(sent->peer, MESIBO_MSGSTATUS_OUTBOX, false);
    copy->text_ = sent->text_;
    copy->mid = sent->mid;
    events_.post([this, copy] {
      if (status_ == MESIBO_STATUS_ONLINE) transmit(copy);
      else outbox_.push_back(copy);
    });
  }

 private:
  void deliver(const char *kind, const std::function<int(MesiboListener *)> &callback) {
    for (auto *listener : listeners_) record("callback", {{"kind", quote(kind)}, {"result", std::to_string(callback(listener))}});
  }
  void connection(int status) {
    status_ = status;
    deliver("connection", [status](MesiboListener *l) { return l->Mesibo_onConnectionStatus(status); });
    if (status != MESIBO_STATUS_ONLINE) return;
    const std::string from = env("MESIBO_FAKE_FROM", "");
    for (const char *name : {"MESIBO_FAKE_RICH", "MESIBO_FAKE_PLAIN"}) {
      if (!env(name)) continue;
      auto *incoming = new FakeMessage(from, MESIBO_MSGSTATUS_RECEIVEDNEW, name == std::string("MESIBO_FAKE_RICH"));
      incoming->text_ = env(name);
      deliver("message", [incoming](MesiboListener *l) { return l->Mesibo_onMessage(incoming); });
    }
    for (auto *waiting : outbox_) transmit(waiting);
    outbox_.clear();
  }
  void transmit(FakeMessage *msg) {
    std::this_thread::sleep_for(std::chrono::milliseconds(std::atoi(env("MESIBO_FAKE_SEND_MS", "0"))));
    record("transmitted", {{"to", quote(msg->peer)}, {"message", quote(msg->text_)}});
    for (int status : {MESIBO_MSGSTATUS_SENT, MESIBO_MSGSTATUS_DELIVERED, MESIBO_MSGSTATUS_READ}) {
      msg->setStatus(status);
      deliver("status", [msg](MesiboListener *l) { return l->Mesibo_onMessageStatus(msg); });
    }
  }

  std::vector<MesiboListener *> listeners_;
  std::vector<FakeMessage *> outbox_;
  std::atomic<int> status_{MESIBO_STATUS_UNKNOWN};
  EventThread events_;
};

FakeMesibo *instance() {
  static auto *mesibo = new FakeMesibo();
  return mesibo;
}

int FakeMessage::send(void) {
  record("send", {{"to", quote(to_)}, {"message", quote(text_)}});
  instance()->queue(this);
  return MESIBO_RESULT_OK;
}

}  // namespace

// include/mesibo.h: the library's entry points.
extern "C" Mesibo *MesiboInstance(uint32_t) { return instance(); }
extern "C" int MesiboInterfaceVersion() { return 4; }
