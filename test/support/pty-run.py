"""Runs a command in a pseudo-terminal, answering prompts: argv = [script, json_steps, cmd...].
Each step is [expect_substring, send_text]: the substring is looked for after the previous step's match,
so each step waits for its own prompt. Prints the transcript and exits with the child's exit code
(128+signal if it was killed)."""
import fcntl, json, os, pty, select, struct, sys, termios, time

steps = json.loads(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
# A wide terminal (50 rows, 200 columns), so that a prompt is not wrapped in the middle of its words.
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 50, 200, 0, 0))
out = b''
deadline = time.time() + 30
def read_some(timeout):
    global out
    r, _, _ = select.select([fd], [], [], timeout)
    if r:
        try:
            data = os.read(fd, 4096)
        except OSError:
            return False
        if not data:
            return False
        out += data
    return True
seen = 0
for expect, send in steps:
    while out.find(expect.encode(), seen) < 0 and time.time() < deadline:
        if not read_some(0.1):
            break
    found = out.find(expect.encode(), seen)
    if found < 0:
        break
    seen = found + len(expect.encode())
    time.sleep(0.2)
    os.write(fd, send.encode())
while time.time() < deadline and read_some(0.2):
    pass
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode('utf8', 'replace'))
sys.exit(os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))
