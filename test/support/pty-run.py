"""Runs a command in a pseudo-terminal, answering prompts: argv = [script, json_steps, cmd...].
Each step is [expect_substring, send_text]; prints the transcript and exits with the child's exit code
(128+signal if it was killed)."""
import json, os, pty, select, sys, time

steps = json.loads(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
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
for expect, send in steps:
    while expect.encode() not in out and time.time() < deadline:
        if not read_some(0.1):
            break
    if expect.encode() not in out:
        break
    time.sleep(0.2)
    os.write(fd, send.encode())
while time.time() < deadline and read_some(0.2):
    pass
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode('utf8', 'replace'))
sys.exit(os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))
