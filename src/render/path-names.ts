/** An appid as a source folder path: com.example.chat -> com/example/chat (appids are validated first). */
export function pkgPathOf(appId: string): string {
  return appId.replace(/\./g, '/');
}
