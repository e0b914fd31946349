// A one-file SMTP server for the browser tests: it accepts every message
// examd's mailer sends (no TLS, no authentication) and keeps it in memory,
// so a test can read the invitation e-mail and follow its link. It speaks
// just the commands a plain submission uses.

import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';

export interface SunkMail {
  from: string;
  to: string[];
  /** the message as sent (headers and body, dot-stuffing undone) */
  raw: string;
}

export interface SmtpSink {
  mails: SunkMail[];
  close(): Promise<void>;
}

function session(sock: Socket, mails: SunkMail[]) {
  const reply = (line: string) => sock.write(`${line}\r\n`);
  let buf = '';
  let from = '';
  let to: string[] = [];
  let data: string[] | null = null;
  reply('220 e2e-sink ESMTP');
  sock.setEncoding('utf8');
  sock.on('data', (chunk: string) => {
    buf += chunk;
    let nl: number;
    while ((nl = buf.indexOf('\r\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 2);
      if (data) {
        if (line === '.') {
          mails.push({ from, to, raw: data.join('\r\n') });
          data = null;
          from = '';
          to = [];
          reply('250 2.0.0 queued');
        } else {
          data.push(line.startsWith('..') ? line.slice(1) : line);
        }
        continue;
      }
      const verb = line.slice(0, 4).toUpperCase();
      const arg = line.slice(4).trim();
      if (verb === 'EHLO') sock.write('250-e2e-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n');
      else if (verb === 'HELO') reply('250 e2e-sink');
      else if (verb === 'MAIL') {
        from = arg.replace(/^FROM:\s*/i, '').replace(/[<>]/g, '').split(/\s/)[0];
        reply('250 2.1.0 ok');
      } else if (verb === 'RCPT') {
        to.push(arg.replace(/^TO:\s*/i, '').replace(/[<>]/g, '').split(/\s/)[0]);
        reply('250 2.1.5 ok');
      } else if (verb === 'DATA') {
        data = [];
        reply('354 end with <CRLF>.<CRLF>');
      } else if (verb === 'RSET') {
        from = '';
        to = [];
        reply('250 2.0.0 ok');
      } else if (verb === 'NOOP') reply('250 2.0.0 ok');
      else if (verb === 'QUIT') {
        reply('221 2.0.0 bye');
        sock.end();
      } else reply('502 5.5.2 not implemented');
    }
  });
  sock.on('error', () => sock.destroy());
}

/** Listens on 127.0.0.1:port until closed. */
export function startSmtpSink(port: number): Promise<SmtpSink> {
  const mails: SunkMail[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    session(sock, mails);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () =>
      resolve({
        mails,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      }),
    );
  });
}

/** Undoes quoted-printable (soft line breaks, =XX bytes as UTF-8). */
export function decodeQuotedPrintable(s: string): string {
  const joined = s.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * The text of a message's parts, decoded (quoted-printable or base64, as
 * each part's Content-Transfer-Encoding says), joined; headers left out.
 */
export function mailText(raw: string): string {
  const out: string[] = [];
  // Parts begin with headers and a blank line; the top-level headers too.
  for (const part of raw.split(/\r\n--[^\r\n]+\r\n/)) {
    const sep = part.indexOf('\r\n\r\n');
    if (sep < 0) continue;
    const head = part.slice(0, sep);
    let body = part.slice(sep + 4);
    const enc = /content-transfer-encoding:\s*([\w-]+)/i.exec(head)?.[1]?.toLowerCase();
    if (enc === 'quoted-printable') body = decodeQuotedPrintable(body);
    else if (enc === 'base64') body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    out.push(body);
  }
  return out.join('\n');
}
