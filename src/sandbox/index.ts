/**
 * What the benchmark (scripts/bench*.mjs) and tests use of the sandbox: start one on a project's key or an
 * in-memory one, and connect clients to its relay as pages would.
 */
export { startSandbox, type Sandbox, type SandboxOptions } from './server';
export { newSandboxKey, parseSandboxKey, sandboxKeyText, SANDBOX_FILE, type SandboxKey } from './key-file';
export { connectRelay, type RelayClient, type RelayMessage, type RelayStatus } from './relay-client';
export { MESIBO_MSGSTATUS_DELIVERED, MESIBO_MSGSTATUS_READ, MESIBO_MSGSTATUS_SENT, MESIBO_STATUS_AUTHFAIL, MESIBO_STATUS_ONLINE } from './relay';
