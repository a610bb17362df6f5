// Fake libmesibo for the C++ starter's tests: implements the stub include/mesibo.h and records every call
// as a JSON line in $MESIBO_FAKE_LOG. Like the real library, callbacks arrive on mesibo's own thread:
// after start(), CONNECTING then $MESIBO_FAKE_STATUS (default ONLINE); when online, one incoming message
// from $MESIBO_FAKE_FROM saying $MESIBO_FAKE_TEXT (if set); and for each message sent, Mesibo_onMessage (not incoming) then Mesibo_onMessageStatus.
#include <mesibo.h>

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

class FakeMesibo;
FakeMesibo *instance();

class FakeMessage : public MesiboMessage {
 public:
  FakeMessage(std::string to, std::string text, bool incoming) : to_(std::move(to)), text_(std::move(text)), incoming_(incoming) {
    mid = 0;
    uid = 0;
    groupid = 0;
    peer = to_.c_str();
  }
  int isIncoming() override { return incoming_; }
  void setMessage(const char *message) override { text_ = message; }
  const char *getMessage() override { return text_.c_str(); }
  int send(void) override;
  void free() override {
    record("free");
    delete this;
  }

 private:
  std::string to_;
  std::string text_;
  bool incoming_;
};

class FakeMesibo : public Mesibo {
 public:
  int setDatabase(const char *name, int resetTables) override {
    record("setDatabase", {{"name", quote(name)}, {"reset", std::to_string(resetTables)}});
    return MESIBO_RESULT_OK;
  }
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
  void setAppName(const char *name) override { record("setAppName", {{"appid", quote(name)}}); }
  int start() override {
    record("start");
    const char *env = std::getenv("MESIBO_FAKE_STATUS");
    const int status = env ? std::atoi(env) : MESIBO_STATUS_ONLINE;
    each("connection", [](MesiboListener *l) { return l->Mesibo_onConnectionStatus(MESIBO_STATUS_CONNECTING); });
    each("connection", [status](MesiboListener *l) { return l->Mesibo_onConnectionStatus(status); });
    const char *from = std::getenv("MESIBO_FAKE_FROM");
    const char *text = std::getenv("MESIBO_FAKE_TEXT");
    if (status == MESIBO_STATUS_ONLINE && from && text) {
      auto *incoming = new FakeMessage(from, text, true);
      each("message", [incoming](MesiboListener *l) { return l->Mesibo_onMessage(incoming); });
    }
    events_.start();
    return MESIBO_RESULT_OK;
  }
  int wait() override {
    for (;;) std::this_thread::sleep_for(std::chrono::hours(1));
  }
  MesiboMessage *newMessage(const char *to) override { return new FakeMessage(to, "", false); }

  // mesibo reports sent messages to Mesibo_onMessage too, then their status.
  void reportSent(const std::string &to, const std::string &text) {
    auto *sent = new FakeMessage(to, text, false);
    each("message", [sent](MesiboListener *l) { return l->Mesibo_onMessage(sent); });
    each("status", [sent](MesiboListener *l) { return l->Mesibo_onMessageStatus(sent); });
  }

 private:
  void each(const char *kind, std::function<int(MesiboListener *)> callback) {
    events_.post([this, kind, callback] {
      for (auto *listener : listeners_) record("callback", {{"kind", quote(kind)}, {"result", std::to_string(callback(listener))}});
    });
  }

  std::vector<MesiboListener *> listeners_;
  EventThread events_;
};

FakeMesibo *instance() {
  static auto *mesibo = new FakeMesibo();
  return mesibo;
}

int FakeMessage::send(void) {
  record("send", {{"to", quote(to_)}, {"message", quote(text_)}});
  instance()->reportSent(to_, text_);
  return MESIBO_RESULT_OK;
}

}  // namespace

extern "C" Mesibo *MesiboInstance(uint32_t) { return instance(); }
