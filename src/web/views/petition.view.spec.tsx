import { speech } from '../i18n/messages.js';
import { paragraphs, PetitionPage, type PetitionPageModel } from './petition.view.js';
import { renderDocument } from './render.js';
import { EMPTY_SIGN_FORM } from './sign-form.js';

const HOSTILE = '<script>alert(1)</script>';

function model(overrides: Partial<PetitionPageModel['petition']> = {}): PetitionPageModel {
  return {
    petition: {
      id: '00000000-0000-4000-8000-000000000001',
      slug: 'a-petition',
      title: 'A petition',
      body: 'Text.',
      addressee: 'The Council',
      open: true,
      signatureGoal: null,
      openedAt: new Date('2026-11-01T00:00:00Z'),
      closesAt: null,
      closedAt: null,
      ...overrides,
    },
    counts: { verified: 0, beingChecked: 0, updatedAt: null },
    districts: { items: [{ district: HOSTILE, verified: 3 }], otherVerified: 2 },
    signers: {
      items: [
        {
          fullName: HOSTILE,
          district: null,
          title: '"><img src=x>',
          verifiedAt: '2026-11-02T00:00:00Z',
        },
      ],
      nextCursor: null,
    },
    signersCursor: null,
    chart: [],
  };
}

function render(m: PetitionPageModel, formToken = 'token'): string {
  return renderDocument(
    PetitionPage({
      s: speech('en'),
      model: m,
      switchHref: '/x?lang=ru',
      formToken,
      form: EMPTY_SIGN_FORM,
    }),
  );
}

describe('the petition page view', () => {
  it('renders a hostile title, text, addressee and signer as text', () => {
    const html = render(model({ title: HOSTILE, body: HOSTILE, addressee: HOSTILE }));
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x>');
    expect(html).toContain('<h1>&lt;script>alert(1)&lt;/script></h1>');
    expect(html).toContain('<title>&lt;script>alert(1)&lt;/script> · Countersign</title>');
  });

  it('escapes attribute values it is given', () => {
    const html = render(model(), '"><script>alert(1)</script>');
    expect(html).toContain('name="formToken" value="&quot;>&lt;script>alert(1)&lt;/script>"');
  });

  it('shows the sign form only while the petition is open', () => {
    expect(render(model())).toContain('action="/petitions/a-petition/sign"');
    const closed = render(model({ open: false, closedAt: new Date('2026-11-20T00:00:00Z') }));
    expect(closed).not.toContain('<form');
    expect(closed).toContain('This petition is closed');
    expect(closed).toContain('Closed on 20 November 2026');
  });
});

describe('paragraphs', () => {
  it('splits on blank lines and drops empty ones', () => {
    expect(paragraphs('One\nstill one\n\n\n  Two  \r\n\r\nThree\n\n')).toEqual([
      'One\nstill one',
      'Two',
      'Three',
    ]);
  });
});
