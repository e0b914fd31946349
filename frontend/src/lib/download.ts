// Saves a fetched file (a Response from the staff client, token sent in the
// Authorization header) under the server's file name.

import { dispositionFileName } from './imports';

export async function saveResponse(res: Response, fallback: string): Promise<string> {
  const name = dispositionFileName(res.headers.get('Content-Disposition'), fallback);
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}
