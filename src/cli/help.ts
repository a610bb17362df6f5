/** Help text, built from the platform registry so flags and platforms cannot drift from what is parsed. */
import { APP_ID_PLATFORMS, PLATFORM_IDS, PLATFORMS } from '../platforms';
import { DEFAULT_API_URL, DEFAULT_EXPIRY_MINUTES, DEFAULT_USERS } from '../defaults';
import type { HelpTopic } from './args';

/**
 * `create-mesibo-app help <topic>` and `<command> --help`: one text per command. `program` is how this run
 * was started (src/report/invocation.ts), so the examples run as printed, from npm, a tarball or a checkout.
 */
export function helpFor(topic: HelpTopic = 'create', program = 'npx create-mesibo-app@latest'): string {
  const texts: Record<HelpTopic, (program: string) => string> = {
    create: createHelp,
    sandbox: sandboxHelp,
    refresh: refreshHelp,
    doctor: doctorHelp,
    workshop: workshopHelp,
    'workshop announce': workshopHelp,
  };
  return texts[topic](program);
}

export function createHelp(program = 'npx create-mesibo-app@latest'): string {
  const appIdFlags = APP_ID_PLATFORMS.map((p) => `  ${`${p.appIdFlag} <id>`.padEnd(26)}${p.appIdMeaning}`).join('\n');
  return `Usage: create-mesibo-app [dir] [options]

Creates ready-to-run mesibo starters (${PLATFORM_IDS.join(', ')}) with users created and access tokens
issued through mesibo's backend API, each starter already carrying its appid and tokens.

Options:
  --name <text>             display name of the app (default: from dir)
  --platforms <list>        comma list of ${PLATFORM_IDS.join(', ')} (default: all but server)
  --app-id <id>             appid for every platform (default: com.example.<dir as identifier>)
${appIdFlags}
  --users <list>            comma list of user addresses (default: ${DEFAULT_USERS.join(',')})
  --token-expiry <minutes>  access-token lifetime (default: ${DEFAULT_EXPIRY_MINUTES}, one year)
  --api-url <url>           backend endpoint (default: ${DEFAULT_API_URL}), e.g. on-premise
  --allow-http              allow plain http to a backend that is not this machine (the App Token
                            would cross the network unencrypted); https is required otherwise
                            An --api-url ending in api.php gets mesibo's older GET form, whose URL
                            carries the App Token: https only, even with --allow-http
  --app-token-file <path>   read the App Token from this file
  --sandbox                 use the built-in local sandbox backend: no App Token, no network
  --force                   write into a non-empty directory (never overwrites or deletes anything)
  --no-git                  do not run git init in the new project
  --no-ai                   do not write AGENTS.md (the project's notes for coding agents)
  --json                    print a JSON summary on stdout (never any token)
  -y, --yes                 ask nothing; defaults for anything not given
  --verbose                 show stack traces and request details (never a token)
  -h, --help, -v, --version

The App Token (your application's server-side secret from the mesibo console) is read from
MESIBO_APP_TOKEN, from --app-token-file, or asked for (masked). It is never accepted as a command-line
value, never printed and never written to the project.

Commands:
  create-mesibo-app sandbox [folder]     run a --sandbox project's local mesibo emulator (web chat, no account)
  create-mesibo-app refresh [dir]        issue fresh tokens into an existing project
  create-mesibo-app doctor [dir]         find what would make a login fail (AUTHFAIL), with the fixes
  create-mesibo-app workshop [dir] (--seats N | --roster file.csv)   provision a room of seats
  create-mesibo-app workshop announce [dir] --text <message>         message every seat from the host
  create-mesibo-app help [command]       this text, or a command's (a folder named help: ./help)

Exit codes: 0 done; 1 backend, network or file-system failure; 2 bad usage (nothing done); 130 interrupted.

Examples:
  ${program} my-chat --sandbox --yes
  ${program} my-chat --platforms web,python --users alice,bob   # asks for the App Token
(With npm create, options go after --: npm create mesibo-app@latest my-chat -- --sandbox --yes.)
`;
}

export function sandboxHelp(): string {
  return `Usage: create-mesibo-app sandbox [folder] [--port N] [--web-port N]

Runs the local mesibo emulator of a project made with --sandbox (the folder, default the current one, or
the nearest folder above it with a mesibo.json), on 127.0.0.1 only, until Ctrl-C. It serves:
  - /mesibo.js, the part of mesibo's JavaScript API the web starter uses, and a relay between its pages:
    two tabs chat with no account and no network (messages are kept in memory while it runs);
  - the backend API (useradd, message) at /backend/, for the App Token kept in the project's
    .mesibo-sandbox.json only (workshop, announce and refresh reach it with --api-url).
It accepts the tokens issued for this project by create --sandbox (or by any run of it), and no others:
a page with another token or appid gets AUTHFAIL, as with mesibo.

Options:
  --port <N>       port to listen on (default: the one recorded at create time, 8092)
  --web-port <N>   also accept pages served on this port (default: the web starter's, 8080)
  -h, --help
`;
}

export function refreshHelp(program = 'npx create-mesibo-app@latest'): string {
  return `Usage: create-mesibo-app refresh [dir] [options]

Issues a fresh access token for every user and appid of an existing project (read from its mesibo.json,
in dir or the nearest folder above it; dir defaults to the current folder) and rewrites only each
starter's git-ignored token config file, plus mesibo.json's record of endpoint, expiry and uids. Every
token is issued before any file is touched; on any failure or Ctrl-C, no file is changed. A backend that
mesibo.json records, other than mesibo's own, gets the App Token only when --api-url names it again or you
confirm it when asked (without a terminal: exit 2, nothing sent).

It re-reads each platform's appid from its build (applicationId, PRODUCT_BUNDLE_IDENTIFIER, the appid in
the token config). When one changed, refresh shows it (android: com.x.z → com.x.y) and asks; yes issues
that platform's tokens for the new appid and records it in mesibo.json (and in its .example twin).
Without a terminal, only --yes accepts such a change; otherwise refresh stops (exit 2) with nothing sent
or changed.

Options:
  --api-url <url>           backend endpoint (default: the one recorded in mesibo.json; for a project
                            made with --sandbox, mesibo's servers: ${DEFAULT_API_URL})
  --allow-http              allow plain http to a backend that is not this machine (never for an
                            api.php endpoint: mesibo's older GET form carries the App Token in its URL)
  --app-token-file <path>   read the App Token from this file (else MESIBO_APP_TOKEN, else asked, masked)
  --sandbox                 issue sandbox tokens from the built-in local backend (no App Token)
  --token-expiry <minutes>  access-token lifetime (default: the one recorded in mesibo.json)
  --json                    print a JSON summary on stdout (never any token)
  -y, --yes                 ask nothing; accept an appid change read from a build
  --verbose                 show stack traces (never a token)
  -h, --help

Exit codes: 0 done; 1 backend, network or file-system failure; 2 bad usage or not a project (nothing
done); 130 interrupted (nothing changed).

Example (the App Token is asked for, masked, or read from MESIBO_APP_TOKEN or --app-token-file):
  cd my-chat
  ${program} refresh
`;
}

export function doctorHelp(program = 'npx create-mesibo-app@latest'): string {
  const refused = PLATFORM_IDS.map((id) => PLATFORMS[id].sdk).find((sdk) => sdk.refusesAfter !== undefined);
  const refusing = refused ? `: mesibo ${refused.mesibo} from ${refused.refusesAfter}` : '';
  return `Usage: create-mesibo-app doctor [dir] [--json]

Checks a project made by create-mesibo-app for what makes mesibo answer AUTHFAIL, or leaks tokens, and
prints each problem with its fix. dir defaults to the project that holds the current folder (the nearest
folder with a mesibo.json, upwards). Reads only: no network, no App Token, nothing is written.

Per platform: the appid the build really uses (applicationId, PRODUCT_BUNDLE_IDENTIFIER, the appid in
the token config) is the one its tokens were issued for; the token config is there, readable, has a token
for every user, is private (0600) and git-ignored; no current token was ever committed (git history) and
no tracked file holds a token; the .example twin is in this version's format; the pinned mesibo SDK
(a hint when it differs; a problem from the date a build refuses to start${refusing}).
For the token server: its passcode is long, private (0600) and git-ignored, its committed twin holds only
the placeholder, and no file in server/ holds an App Token. For the project: sandbox tokens, and tokens
expired or expiring within 7 days.

git runs under doctor's own configuration, so a repository's settings start no program and open no
connection: no system or user git config, and these settings of the repository are ignored:
log.showSignature, gpg.program, gpg.openpgp.program, gpg.x509.program, gpg.ssh.program,
core.sshCommand, core.fsmonitor, core.hooksPath, core.askPass, credential.helper,
core.alternateRefsCommand, core.pager, protocol.allow (every transport is refused), core.gitProxy,
http.proxy, core.untrackedCache, gc.auto, maintenance.auto, core.excludesFile and core.attributesFile
(only the repository's own ignore files count). External diffs, textconv, filters and rename detection
are never used, and git sees none of your environment variables (no App Token, no proxy). A file
version a partial clone lacks is reported, never fetched.

Options:
  --json       print { ok, findings: [{ platform, check, severity, message, fix }] } (never any token)
  --verbose    show stack traces
  -h, --help

Exit codes: 0 healthy (hints do not count); 1 problems found; 2 bad usage or no project.

Example, from anywhere inside the project:
  cd my-chat/android
  ${program} doctor
`;
}

export function workshopHelp(program = 'npx create-mesibo-app@latest'): string {
  const appIdFlags = APP_ID_PLATFORMS.map((p) => `  ${`${p.appIdFlag} <id>`.padEnd(26)}${p.appIdMeaning}`).join('\n');
  return `Usage: create-mesibo-app workshop [dir] (--seats <n> | --roster <file.csv>) [options]
       create-mesibo-app workshop announce [dir] --text <message> [options]

Provisions a room from one machine: a mesibo user per seat, plus a host, each with a token for every
appid, and one complete project per seat under dir/seats/<address>/ (the seat and its buddy as the
demo pair: seat 1 with seat 2, and so on; an odd last seat pairs with the host). Also writes
dir/handout.html (one printable card per seat, no tokens) and dir/workshop.json (the ledger: seats,
uids, what was issued; no tokens). Rerun the same command after a failure or Ctrl-C: it creates only
what is missing and never issues a kept token twice. dir defaults to mesibo-workshop.

Options:
  --seats <n>               n numbered seats (1 to 1000), numbered as wide as n: seat-1 … seat-9,
                            seat-01 … seat-30, seat-001 … seat-100
  --roster <file.csv>       one attendee a line: name,address (optional header; quotes as in CSV)
  --host <address>          the host's address, the sender of announcements (default: host)
  --platforms <list>        comma list of ${PLATFORM_IDS.join(', ')} (default: all but server)
  --app-id <id>             appid for every platform (default: com.example.<dir as identifier>)
${appIdFlags}
  --token-expiry <minutes>  token lifetime (default: until the end of the next day, local time)
  --api-url <url>           backend endpoint (default: ${DEFAULT_API_URL}); an existing workshop
                            made on another endpoint needs it given again
  --allow-http              allow plain http to a backend that is not this machine (never for an
                            api.php endpoint: mesibo's older GET form carries the App Token in its URL)
  --app-token-file <path>   read the App Token from this file (else MESIBO_APP_TOKEN, else asked)
  --sandbox                 use the built-in local sandbox backend: no App Token, no network
  --zip                     also write dir/seats/<address>.zip per seat to hand out (0600: tokens)
  --json                    print a JSON summary on stdout (never any token)
  -y, --yes                 ask nothing
  --verbose                 show stack traces (never a token)
  -h, --help

announce sends one message from the host to every seat through the backend API (op "message"), in
batches of 50 recipients; a rerun with the same text sends only to the seats that did not get it.
  --text <message>          the message (required)
  --api-url <url>           required again when the workshop is on another endpoint than mesibo's

Exit codes: 0 done; 1 backend, network or file-system failure (what was done is kept: rerun to
continue); 2 bad usage or a bad roster (nothing done); 130 interrupted (rerun to continue).

Examples:
  MESIBO_APP_TOKEN=... ${program} workshop room-1 --seats 30 --platforms web,python --zip
  MESIBO_APP_TOKEN=... ${program} workshop announce room-1 --text "Welcome! Say hi to your buddy."
`;
}
