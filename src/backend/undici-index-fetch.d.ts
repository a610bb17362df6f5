// Types of undici's published entry `undici/index-fetch.js` (src/backend/undici.ts), which ships no .d.ts of
// its own: the names it exports are undici's, with the types of its main entry.
declare module 'undici/index-fetch.js' {
  export { EnvHttpProxyAgent } from 'undici';
}
