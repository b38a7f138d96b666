import { consoleAbuseEn } from './console-abuse.en.js';
import { consoleAccountsEn } from './console-accounts.en.js';
import { consolePetitionsEn } from './console-petitions.en.js';
import { consoleModerationEn } from './console-moderation.en.js';
import type { Format } from './format.js';

/**
 * Every string the pages show, in English. The Russian catalogue must have the same shape (the
 * type checker sees to it), so no page can show a string that exists in one language only.
 * Functions take already-formatted numbers and dates where the wording needs them.
 */
export const en = {
  lang: 'en',
  name: 'English',
  site: {
    name: 'Countersign',
    tagline: 'Petitions with honest counts',
    skip: 'Skip to main content',
    languages: 'Language',
    footer:
      'Countersign checks every signature before counting it. Counts show how many are verified and how many are still being checked.',
  },
  home: {
    title: 'Open petitions',
    lead: 'Read a petition and sign it. Every signature is checked before it is counted.',
    empty: 'No petitions are open at the moment.',
    opened: (date: string) => `Opened ${date}`,
    older: 'Older petitions',
    newest: 'Back to the newest petitions',
  },
  counts: {
    verified: (f: Format, n: number) =>
      `${f.number(n)} ${n === 1 ? 'verified signature' : 'verified signatures'}`,
    beingChecked: (f: Format, n: number) => `${f.number(n)} being checked`,
    goal: (f: Format, verified: number, goal: number) =>
      `${f.percent(verified / goal)} of the goal of ${f.number(goal)}`,
    verifiedLabel: 'Verified signatures',
    beingCheckedLabel: 'Being checked',
  },
  petition: {
    to: 'To',
    text: 'The petition',
    openUntil: (date: string) => `Open for signatures until ${date}`,
    open: 'Open for signatures',
    closedOn: (date: string) => `Closed on ${date}`,
    closedTitle: 'This petition is closed',
    closedText: 'It no longer takes signatures. The counts below are final once checking ends.',
    chartTitle: 'Signatures over time',
    chartSummary: (f: Format, from: string, verified: number, checking: number) =>
      `Since ${from}: ${f.number(verified)} verified and ${f.number(checking)} being checked now.`,
    chartVerified: 'Verified',
    chartChecking: 'Being checked',
    districtsTitle: 'Verified signatures by district',
    district: 'District',
    verifiedColumn: 'Verified',
    noDistrict: 'District not given',
    otherDistricts: 'Smaller districts together, and signers who gave none',
    districtsEmpty: 'No verified signatures yet.',
    signersTitle: 'Signers who chose to be listed',
    signersEmpty: 'No one is listed yet. Names appear here once verified, if the signer agreed.',
    signersMore: 'More names',
    signersFirst: 'Back to the most recent names',
    verifiedOn: (date: string) => `verified ${date}`,
  },
  sign: {
    heading: 'Sign this petition',
    optional: '(optional)',
    fullName: 'Full name',
    fullNameHint: 'As it appears on official documents, so that it can be checked.',
    email: 'Email address',
    emailHint:
      'We send a link to it to confirm your signature. It is never shown to anyone, the organiser included.',
    district: 'District',
    districtHint:
      'Where you live or the constituency you represent, for example “Semyonovsky district”.',
    title: 'Title or position',
    titleHint: 'For example “Municipal deputy”. Leave it empty if it does not apply.',
    displayPublicly: 'Show my name on this page',
    displayPubliclyHint:
      'If you tick this, your name, district and title will be shown to everyone on this page once your signature is verified. Your email address is never shown.',
    comment: 'Comment for the organiser',
    commentHint: 'Only the organiser and the moderators read it. It is never shown publicly.',
    submit: 'Sign the petition',
    privacyTitle: 'What happens to your details',
    privacy: [
      'We keep your name, district, title and comment, your email address, and a keyed fingerprint of your internet address and browser to catch bulk fake signatures.',
      'Your email address is stored encrypted and is used only to confirm and manage your signature.',
      'You can withdraw your signature at any time while the petition is open. Personal details are kept until the petition’s data is deleted; they are not yet erased automatically when it closes.',
    ],
    invitedAs: (name: string, district: string | null) =>
      district ? `You are signing as ${name}, ${district}.` : `You are signing as ${name}.`,
    invitedHint:
      'You were invited from the register of people entitled to sign: your name, district and email address are taken from it, and no confirmation mail is needed.',
    invitation: {
      invalid:
        'This invitation link is not valid for this petition. Check that you opened the whole link from the mail, or sign with the form below.',
      used: 'This invitation has already been used to sign. Each invitation works once.',
      expired: 'This invitation expired when the petition closed.',
    },
    formExpired:
      'This form was open for too long, or it was not sent from this page. Check your details and send it again.',
  },
  validation: {
    summary: 'There is a problem',
    required: (label: string) => `${label} is required`,
    tooLong: (label: string, f: Format, max: number) =>
      `${label} must be at most ${f.number(max)} characters`,
    email: (label: string) => `${label} must be an email address, like name@example.org`,
    invalid: (label: string) => `${label} is not valid`,
  },
  signed: {
    confirmTitle: 'Check your email',
    confirmText:
      'We have sent a link to the address you gave. Open it and press the button to confirm your signature: until then it is not counted.',
    receivedTitle: 'Your signature is received',
    receivedText:
      'Thank you. Your signature will now be checked before it is counted. We have sent a receipt to the address you gave, with a link to withdraw it.',
    noMail:
      'If no mail arrives within a few minutes, look in your spam folder, or sign again with the same address: you are never counted twice.',
    back: (title: string) => `Back to “${title}”`,
  },
  signer: {
    confirmTitle: 'Confirm your signature',
    confirmLead: (title: string) => `You are confirming your signature on “${title}”.`,
    confirmButton: 'Confirm my signature',
    withdrawTitle: 'Withdraw your signature',
    withdrawLead: (title: string) => `You are withdrawing your signature from “${title}”.`,
    withdrawText: 'Once withdrawn, your signature is no longer counted.',
    withdrawButton: 'Withdraw my signature',
    statusTitle: 'Your signature',
    statusLead: (title: string) => `Your signature on “${title}”.`,
    current: 'Its state now',
    reason: 'Reason',
    confirmedNow: 'Thank you: your signature is confirmed. It is now being checked.',
    withdrawnNow: 'Your signature is withdrawn. It is no longer counted.',
    nothingChanged: 'Nothing changed: your signature had already moved on.',
    back: (title: string) => `Back to “${title}”`,
    statusLink: 'See the state of your signature',
  },
  status: {
    unconfirmed: 'Waiting for you to confirm it with the link in the mail.',
    pending: 'Confirmed, and being checked.',
    needs_review: 'Being checked by a moderator.',
    verified: 'Verified and counted.',
    rejected: 'Rejected: it is not counted.',
    withdrawn: 'Withdrawn: it is not counted.',
    expired: 'Not confirmed in time, so it was not counted. You can sign again.',
  },
  reasons: {
    duplicate: 'The same person already signed this petition.',
    not_eligible: 'The signer is not entitled to sign this petition.',
    fake_name: 'The name does not look like a real person’s name.',
    fraudulent: 'It was part of an attempt to add fake signatures.',
    signer_request: 'The signer asked for it to be removed.',
    identity_confirmed: 'A moderator confirmed who the signer is.',
    namesake: 'A different person who shares a name with another signer.',
    eligible_not_on_register: 'Entitled to sign, although the register does not list them yet.',
    other: 'A moderator decided so.',
    disposable_email: 'It was signed with a throwaway email address.',
    confirmation_expired: 'The email address was not confirmed in time.',
    register_changed: 'The list of people entitled to sign changed and no longer includes it.',
  } as Record<string, string>,
  errors: {
    back: 'Go to the list of petitions',
    notFound: {
      title: 'Page not found',
      text: 'Check the address. The petition may not be published yet.',
    },
    forbidden: { title: 'This form was refused' },
    conflict: {
      title: 'This has changed meanwhile',
      text: 'Another moderator holds it, or it was already decided. Go back and reload the page.',
    },
    secondModerator: {
      title: 'Another moderator must approve this',
      text: 'A request above the approval threshold needs the approval of a moderator other than the one who made it.',
    },
    invalidToken: {
      title: 'This link is not valid',
      text: 'Check that you opened the whole link from the mail. A link stops working once the signature is erased.',
    },
    tokenExpired: {
      title: 'This link has expired',
      text: 'The time to confirm this signature has passed. You can sign the petition again to get a new link.',
    },
    petitionNotOpen: {
      title: 'This petition is closed',
      text: 'It no longer takes signatures, and signatures on it can no longer be changed.',
    },
    cannotWithdraw: {
      title: 'This signature cannot be withdrawn',
      text: 'A rejected or expired signature is not counted, so there is nothing to withdraw.',
    },
    rateLimited: {
      title: 'Too many tries',
      text: (wait: string) => `Please wait ${wait} and try again.`,
    },
    badRequest: {
      title: 'The request could not be read',
      text: 'Go back, check what you entered and try again.',
    },
    unavailable: {
      title: 'Sorry, the service is not available right now',
      text: 'Please try again in a few minutes. Nothing you sent has been lost.',
    },
    internal: {
      title: 'Sorry, something went wrong',
      text: (reference: string) =>
        `Please try again in a moment. If it keeps happening, tell the organiser this reference: ${reference}.`,
    },
  },
  console: {
    name: 'Console',
    nav: 'Console',
    home: 'Home',
    petitions: 'Petitions',
    review: 'Review queue',
    invalidations: 'Invalidations',
    registers: 'Registers',
    accounts: 'Accounts',
    queues: 'Queue board',
    signOut: 'Sign out',
    signedInAs: (name: string, role: string) => `Signed in as ${name} (${role})`,
    roles: { organiser: 'organiser', moderator: 'moderator', admin: 'admin' } as Record<
      string,
      string
    >,
    signIn: {
      title: 'Sign in to the console',
      lead: 'For organisers, moderators and admins. We send a sign-in link to your account’s address.',
      email: 'Email address',
      emailHint: 'The address of your Countersign account.',
      submit: 'Send me a sign-in link',
      sentTitle: 'Check your email',
      sent: (minutes: number) =>
        `If this address belongs to an account, we have sent it a sign-in link. It works once, for ${minutes} minutes.`,
      linkTitle: 'Sign in',
      linkLead: 'Press the button to sign in to the Countersign console on this browser.',
      linkButton: 'Sign in',
      signedOut: 'You are signed out.',
      expired: 'Your session has ended. Sign in again.',
    },
    homeTitle: 'Console',
    homeLead: (name: string) => `Welcome, ${name}.`,
    sessionUntil: (time: string) => `Your session lasts until ${time}.`,
    formExpired:
      'This form has expired or did not come from this console. Nothing was changed. Reload the page and try again.',
  },
  consolePetitions: consolePetitionsEn,
  consoleModeration: consoleModerationEn,
  consoleAccounts: consoleAccountsEn,
  consoleAbuse: consoleAbuseEn,
  time: {
    minutes: (n: number) => (n === 1 ? '1 minute' : `${n} minutes`),
    seconds: (n: number) => (n === 1 ? '1 second' : `${n} seconds`),
  },
};

export type Messages = typeof en;
