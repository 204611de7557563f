// Builds a Content-Disposition header value for a download name (RFC 6266 with RFC 8187
// filename*), safe for any UTF-8 name: the one both downloads send, streamed by the server
// (http/file-download.ts) or presigned by S3 (s3-object-store.ts). Pure.

/** `attachment; filename="ascii fallback"; filename*=UTF-8''percent-encoded` */
export function formatContentDisposition(fileName: string): string {
  // The quoted fallback: printable ASCII only, without the quote and backslash it would need escaped.
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
