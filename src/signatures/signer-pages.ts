import { createHash } from 'node:crypto';

export type SignerPageAction = 'confirm' | 'withdraw';

const TEXT: Record<SignerPageAction, { title: string; button: string; done: string }> = {
  confirm: {
    title: 'Confirm your signature · Подтвердите подпись',
    button: 'Confirm · Подтвердить',
    done: 'Thank you: your signature is confirmed and is being checked. · Спасибо: подпись подтверждена и проверяется.',
  },
  withdraw: {
    title: 'Withdraw your signature · Отозвать подпись',
    button: 'Withdraw · Отозвать',
    done: 'Your signature is withdrawn. · Подпись отозвана.',
  },
};

/**
 * The page a mail link opens. It changes nothing by itself: the signer presses the button, which
 * POSTs the token from the address bar, so a mail scanner that prefetches links confirms nothing.
 * The token never goes into the HTML (no reflection); the page sends no Referer.
 */
function script(action: SignerPageAction): string {
  return `
const token = new URLSearchParams(location.search).get('token') || '';
const out = document.getElementById('out');
document.getElementById('go').addEventListener('click', async (event) => {
  event.target.disabled = true;
  try {
    const res = await fetch('/v1/signatures/${action}', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    });
    const body = await res.json();
    out.textContent = res.ok ? ${JSON.stringify(TEXT[action].done)} : body.message;
  } catch {
    out.textContent = 'Network error, please try again · Ошибка сети, попробуйте ещё раз';
    event.target.disabled = false;
  }
});`;
}

export interface SignerPage {
  html: string;
  contentSecurityPolicy: string;
}

export function signerPage(action: SignerPageAction): SignerPage {
  const code = script(action);
  const hash = createHash('sha256').update(code).digest('base64');
  const text = TEXT[action];
  return {
    html: `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${text.title}</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 3rem auto; padding: 0 1rem">
<h1 style="font-size: 1.4rem">${text.title}</h1>
<p><button id="go" type="button" style="font-size: 1.1rem; padding: .5rem 1.2rem">${text.button}</button></p>
<p id="out" role="status"></p>
<script>${code}</script>
</body></html>`,
    contentSecurityPolicy: `default-src 'none'; script-src 'sha256-${hash}'; connect-src 'self'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  };
}
