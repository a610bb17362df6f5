// Runs the C++ starter's own Listener (main.cpp, included here with its main() renamed) on messages the
// real libmesibo builds and hands to Mesibo_onMessage when they are sent: one rich (with a title), one
// plain. No server can send us anything here, so each is marked received (setStatus(RECEIVEDNEW), a
// real MesiboMessageProperties method) before the starter's code sees it.
//   real_receive <token> <appid>
#define main starter_main
#include "main.cpp"
#undef main

namespace {

class Received : public Listener {
 public:
  int Mesibo_onMessage(MesiboMessage *msg) override {
    const MesiboData *data = msg->getData();
    say("handed over: rich=" + std::to_string(msg->isRichMessage()) + " message=" +
        (msg->getMessage() ? msg->getMessage() : "(null)") + " data=" +
        (data && data->data ? std::string(data->data, data->len) : std::string()));
    msg->setStatus(MESIBO_MSGSTATUS_RECEIVEDNEW);
    return Listener::Mesibo_onMessage(msg);
  }
};

}  // namespace

int main(int argc, char **argv) {
  if (argc != 3) return 2;
  say("interface version: " + std::to_string(MesiboInterfaceVersion()));
  Mesibo *api = MesiboInstance(0);
  auto *listener = new Received();  // never deleted, as in the starter
  api->addListener(listener);
  api->setAccessToken(argv[1]);
  api->setAppId(argv[2]);
  api->start();
  MesiboMessage *rich = api->newMessage("456");
  rich->setTitle("A title");
  rich->setMessage("rich text ü");
  rich->send();
  rich->free();
  MesiboMessage *plain = api->newMessage("456");
  plain->setMessage("plain text ü");
  plain->send();
  plain->free();
  say("connection status: " + std::to_string(api->getConnectionStatus()));
  api->stop();
  return 0;
}
