/**
 * For the checks of the Python starter and its double against mesibo's real package (PyPI mesibo, in
 * the virtual environment scripts/install-sdks.mjs makes): the gate for running it without network, the
 * fixture's tokens, and two small Python programs the real interpreter runs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { execaSync } from 'execa';

/** `unshare -rn` (a new user and network namespace) must work: runs of the real package go through it. */
export function offlineGate(): { skip: boolean; reason: string } {
  try {
    execaSync('unshare', ['-rn', '--', 'true']);
    return { skip: false, reason: '' };
  } catch (error) {
    const reason = `cannot make a network namespace (unshare -rn): ${(error as Error).message.split('\n')[0]}`;
    if (process.env.CI) throw new Error(`CI is set but ${reason}`);
    return { skip: true, reason };
  }
}

/**
 * mesibo 2.7.1's setAccessToken crashes (SIGSEGV) on some 64-character mixed-case strings, about 40% of
 * random [0-9A-Za-z]{64} (seen here; all-lowercase ones never did), so the sandbox-shaped tokens of the
 * fixture are lowercased for runs of the real package. They stay tokens mesibo refuses ("bad access token").
 */
export function lowercaseTokens(configJson: string): void {
  const config = JSON.parse(readFileSync(configJson, 'utf8')) as { users: Array<{ token: string }> };
  for (const user of config.users) user.token = user.token.toLowerCase();
  writeFileSync(configJson, JSON.stringify(config, null, 2));
}

/**
 * Prints {"checked": [...], "missing": [...]}: every public name of the double (argv[1]) — module
 * constants with their values, functions, classes and the attributes and methods they define — looked up
 * in the real `mesibo`, plus the class names of what the real getInstance() and newMessage() return.
 */
export const NAME_CHECK = String.raw`
import importlib.util, inspect, json, sys
import mesibo as real

spec = importlib.util.spec_from_file_location("mesibo_double", sys.argv[1])
double = importlib.util.module_from_spec(spec)
spec.loader.exec_module(double)
checked, missing = [], []
for name, value in vars(double).items():
    if name.startswith("_") or inspect.ismodule(value):
        continue
    checked.append(name)
    if not hasattr(real, name):
        missing.append(name)
    elif isinstance(value, int) and getattr(real, name) != value:
        missing.append(f"{name} = {value}, but {getattr(real, name)} in mesibo")
    elif inspect.isclass(value):
        for attr in vars(value):
            if not attr.startswith("_"):
                checked.append(f"{name}.{attr}")
                if not hasattr(getattr(real, name), attr):
                    missing.append(f"{name}.{attr}")
    elif callable(value) and not callable(getattr(real, name)):
        missing.append(f"{name} is not callable in mesibo")
api = real.getInstance()
for what, obj in (("getInstance()", api), ("newMessage()", api.newMessage("x"))):
    if not hasattr(double, type(obj).__name__):
        missing.append(f"{what} returns a {type(obj).__name__}, which the double lacks")
print(json.dumps({"checked": checked, "missing": missing}))
`;

/**
 * Runs the starter's own listener (chat.Listener, imported from argv[1]) on messages the real package
 * builds and hands to Mesibo_onMessage when they are sent: one rich (with a title), one plain. No server
 * can send us anything here, so each is marked received (setStatus RECEIVEDNEW, a real MesiboMessage
 * method) before the starter's code sees it; mesibo calls only the last listener added, hence a subclass.
 */
export const RECEIVE_PATH = String.raw`
import queue, sys
sys.path.insert(0, sys.argv[1])
import mesibo, chat

class Received(chat.Listener):
    __slots__ = ()

    def Mesibo_onMessage(self, msg):
        print(f"handed over: rich={msg.isRichMessage()} message={msg.message!r} data={msg.data!r}", flush=True)
        msg.setStatus(mesibo.MESIBO_MSGSTATUS_RECEIVEDNEW)
        return super().Mesibo_onMessage(msg)

print(f"real listener: {issubclass(chat.Listener, mesibo.MesiboListener)}", flush=True)
api = mesibo.getInstance()
listener = Received(queue.Queue())  # kept: mesibo holds no reference of its own
api.addListener(listener)
api.setAccessToken(sys.argv[2])
api.setAppId(sys.argv[3])
api.start()
for title, text in (("A title", "rich text ü"), (None, "plain text ü")):
    msg = api.newMessage("456")
    if title:
        msg.title = title
    msg.message = text
    msg.send()
`;
