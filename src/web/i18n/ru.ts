import { consoleAbuseRu } from './console-abuse.ru.js';
import { consoleAccountsRu } from './console-accounts.ru.js';
import { consolePetitionsRu } from './console-petitions.ru.js';
import { consoleModerationRu } from './console-moderation.ru.js';
import type { Messages } from './en.js';
import type { Format } from './format.js';

/** Every string the pages show, in Russian; the same shape as the English catalogue. */
export const ru: Messages = {
  lang: 'ru',
  name: 'Русский',
  site: {
    name: 'Countersign',
    tagline: 'Петиции с честным подсчётом',
    skip: 'Перейти к содержанию',
    languages: 'Язык',
    footer:
      'Countersign проверяет каждую подпись, прежде чем её засчитать. Счётчики показывают, сколько подписей проверено и сколько ещё проверяется.',
  },
  home: {
    title: 'Открытые петиции',
    lead: 'Прочитайте петицию и подпишите её. Каждую подпись проверяют, прежде чем засчитать.',
    empty: 'Сейчас нет открытых петиций.',
    opened: (date: string) => `Открыта ${date}`,
    older: 'Более ранние петиции',
    newest: 'К самым новым петициям',
  },
  counts: {
    verified: (f: Format, n: number) =>
      `${f.number(n)} ${f.plural(n, 'проверенная подпись', 'проверенные подписи', 'проверенных подписей')}`,
    beingChecked: (f: Format, n: number) => `${f.number(n)} на проверке`,
    goal: (f: Format, verified: number, goal: number) =>
      `${f.percent(verified / goal)} от цели в ${f.number(goal)}`,
    verifiedLabel: 'Проверенных подписей',
    beingCheckedLabel: 'На проверке',
  },
  petition: {
    to: 'Кому',
    text: 'Текст петиции',
    openUntil: (date: string) => `Подписи принимаются до ${date}`,
    open: 'Подписи принимаются',
    closedOn: (date: string) => `Закрыта ${date}`,
    closedTitle: 'Петиция закрыта',
    closedText:
      'Подписи больше не принимаются. Счётчики ниже станут окончательными, когда закончится проверка.',
    chartTitle: 'Подписи по времени',
    chartSummary: (f: Format, from: string, verified: number, checking: number) =>
      `С ${from}: сейчас ${f.number(verified)} проверено и ${f.number(checking)} на проверке.`,
    chartVerified: 'Проверено',
    chartChecking: 'На проверке',
    districtsTitle: 'Проверенные подписи по округам',
    district: 'Округ',
    verifiedColumn: 'Проверено',
    noDistrict: 'Округ не указан',
    otherDistricts: 'Небольшие округа вместе и подписавшие без округа',
    districtsEmpty: 'Проверенных подписей пока нет.',
    signersTitle: 'Подписавшие, которые согласились на публикацию имени',
    signersEmpty:
      'Пока никого нет. Имена появляются здесь после проверки, если подписавший согласился.',
    signersMore: 'Ещё имена',
    signersFirst: 'К последним именам',
    verifiedOn: (date: string) => `проверено ${date}`,
  },
  sign: {
    heading: 'Подписать петицию',
    optional: '(необязательно)',
    fullName: 'Фамилия, имя и отчество',
    fullNameHint: 'Как в документах, чтобы подпись можно было проверить.',
    email: 'Адрес электронной почты',
    emailHint:
      'Мы пришлём на него ссылку для подтверждения подписи. Адрес никому не показывается, даже организатору.',
    district: 'Округ',
    districtHint: 'Где вы живёте или какой округ представляете, например «Семёновский округ».',
    title: 'Должность или звание',
    titleHint: 'Например, «муниципальный депутат». Оставьте пустым, если не нужно.',
    displayPublicly: 'Показывать моё имя на этой странице',
    displayPubliclyHint:
      'Если отметить, ваши имя, округ и должность увидят все посетители этой страницы, когда подпись пройдёт проверку. Адрес почты не показывается никогда.',
    comment: 'Комментарий для организатора',
    commentHint: 'Его читают только организатор и модераторы. Публично он не показывается.',
    submit: 'Подписать петицию',
    privacyTitle: 'Что будет с вашими данными',
    privacy: [
      'Мы храним ваши имя, округ, должность и комментарий, адрес почты, а также ключевой отпечаток вашего интернет-адреса и браузера, чтобы выявлять массовые поддельные подписи.',
      'Адрес почты хранится в зашифрованном виде и нужен только для подтверждения подписи и управления ею.',
      'Пока петиция открыта, подпись можно отозвать в любой момент. Персональные данные хранятся, пока не удалены данные петиции; автоматически после её закрытия они пока не удаляются.',
    ],
    formExpired:
      'Форма была открыта слишком долго или отправлена не с этой страницы. Проверьте данные и отправьте её ещё раз.',
  },
  validation: {
    summary: 'Есть ошибки',
    required: (label: string) => `Поле «${label}» нужно заполнить`,
    tooLong: (label: string, f: Format, max: number) =>
      `Поле «${label}» должно быть не длиннее ${f.number(max)} ${f.plural(max, 'символа', 'символов', 'символов')}`,
    email: (label: string) => `В поле «${label}» нужен адрес почты, например name@example.org`,
    invalid: (label: string) => `Поле «${label}» заполнено неверно`,
  },
  signed: {
    confirmTitle: 'Проверьте почту',
    confirmText:
      'Мы отправили ссылку на указанный адрес. Откройте её и нажмите кнопку, чтобы подтвердить подпись: до этого она не засчитывается.',
    receivedTitle: 'Подпись получена',
    receivedText:
      'Спасибо. Теперь подпись проверят, прежде чем засчитать. Мы отправили на указанный адрес квитанцию со ссылкой для отзыва подписи.',
    noMail:
      'Если письмо не пришло в течение нескольких минут, проверьте папку «Спам» или подпишите ещё раз с тем же адресом: дважды вас не посчитают.',
    back: (title: string) => `Вернуться к петиции «${title}»`,
  },
  signer: {
    confirmTitle: 'Подтвердите подпись',
    confirmLead: (title: string) => `Вы подтверждаете подпись под петицией «${title}».`,
    confirmButton: 'Подтвердить подпись',
    withdrawTitle: 'Отзыв подписи',
    withdrawLead: (title: string) => `Вы отзываете подпись под петицией «${title}».`,
    withdrawText: 'После отзыва подпись больше не засчитывается.',
    withdrawButton: 'Отозвать подпись',
    statusTitle: 'Ваша подпись',
    statusLead: (title: string) => `Ваша подпись под петицией «${title}».`,
    current: 'Состояние сейчас',
    reason: 'Причина',
    confirmedNow: 'Спасибо: подпись подтверждена. Теперь она проверяется.',
    withdrawnNow: 'Подпись отозвана. Она больше не засчитывается.',
    nothingChanged: 'Ничего не изменилось: подпись уже была в другом состоянии.',
    back: (title: string) => `Вернуться к петиции «${title}»`,
    statusLink: 'Посмотреть состояние подписи',
  },
  status: {
    unconfirmed: 'Ждёт подтверждения по ссылке из письма.',
    pending: 'Подтверждена и проверяется.',
    needs_review: 'Её проверяет модератор.',
    verified: 'Проверена и засчитана.',
    rejected: 'Отклонена: не засчитывается.',
    withdrawn: 'Отозвана: не засчитывается.',
    expired: 'Не подтверждена вовремя и не засчитана. Вы можете подписать ещё раз.',
  },
  reasons: {
    duplicate: 'Этот человек уже подписал петицию.',
    not_eligible: 'Подписавший не может подписывать эту петицию.',
    fake_name: 'Имя не похоже на имя реального человека.',
    fraudulent: 'Подпись была частью попытки добавить поддельные подписи.',
    signer_request: 'Подписавший попросил её удалить.',
    identity_confirmed: 'Модератор подтвердил личность подписавшего.',
    namesake: 'Это другой человек с тем же именем.',
    eligible_not_on_register: 'Может подписывать, хотя в реестре его пока нет.',
    other: 'Так решил модератор.',
    disposable_email: 'Подпись оставлена с одноразового адреса почты.',
    confirmation_expired: 'Адрес почты не подтвердили вовремя.',
    register_changed: 'Список тех, кто может подписывать, изменился, и подписавшего в нём нет.',
  },
  errors: {
    back: 'К списку петиций',
    notFound: {
      title: 'Страница не найдена',
      text: 'Проверьте адрес. Возможно, петиция ещё не опубликована.',
    },
    forbidden: { title: 'Форма отклонена' },
    conflict: {
      title: 'Пока вы смотрели, это изменилось',
      text: 'Этим занимается другой модератор, или решение уже принято. Вернитесь назад и обновите страницу.',
    },
    secondModerator: {
      title: 'Нужно одобрение другого модератора',
      text: 'Запрос выше порога одобрения должен одобрить модератор, который его не создавал.',
    },
    invalidToken: {
      title: 'Ссылка недействительна',
      text: 'Проверьте, что открыли ссылку из письма целиком. Ссылка перестаёт работать, когда данные подписи удалены.',
    },
    tokenExpired: {
      title: 'Срок действия ссылки истёк',
      text: 'Время на подтверждение прошло. Подпишите петицию ещё раз, чтобы получить новую ссылку.',
    },
    petitionNotOpen: {
      title: 'Петиция закрыта',
      text: 'Подписи больше не принимаются и не могут быть изменены.',
    },
    cannotWithdraw: {
      title: 'Эту подпись нельзя отозвать',
      text: 'Отклонённая или просроченная подпись не засчитывается, отзывать нечего.',
    },
    rateLimited: {
      title: 'Слишком много попыток',
      text: (wait: string) => `Подождите ${wait} и попробуйте снова.`,
    },
    badRequest: {
      title: 'Не удалось прочитать запрос',
      text: 'Вернитесь назад, проверьте введённые данные и попробуйте снова.',
    },
    unavailable: {
      title: 'Сервис сейчас недоступен',
      text: 'Попробуйте через несколько минут. Отправленные данные не потеряны.',
    },
    internal: {
      title: 'Что-то пошло не так',
      text: (reference: string) =>
        `Попробуйте ещё раз чуть позже. Если ошибка повторится, сообщите организатору этот номер: ${reference}.`,
    },
  },
  console: {
    name: 'Консоль',
    nav: 'Консоль',
    home: 'Главная',
    petitions: 'Петиции',
    review: 'Очередь проверки',
    invalidations: 'Аннулирования',
    registers: 'Реестры',
    accounts: 'Учётные записи',
    queues: 'Очереди задач',
    signOut: 'Выйти',
    signedInAs: (name: string, role: string) => `Вы вошли как ${name} (${role})`,
    roles: { organiser: 'организатор', moderator: 'модератор', admin: 'администратор' },
    signIn: {
      title: 'Вход в консоль',
      lead: 'Для организаторов, модераторов и администраторов. Мы пришлём ссылку для входа на адрес вашей учётной записи.',
      email: 'Адрес электронной почты',
      emailHint: 'Адрес вашей учётной записи Countersign.',
      submit: 'Прислать ссылку для входа',
      sentTitle: 'Проверьте почту',
      sent: (minutes: number) =>
        `Если этот адрес принадлежит учётной записи, мы отправили на него ссылку для входа. Она действует один раз, ${minutes} минут.`,
      linkTitle: 'Вход',
      linkLead: 'Нажмите кнопку, чтобы войти в консоль Countersign в этом браузере.',
      linkButton: 'Войти',
      signedOut: 'Вы вышли из консоли.',
      expired: 'Сеанс закончился. Войдите снова.',
    },
    homeTitle: 'Консоль',
    homeLead: (name: string) => `Здравствуйте, ${name}.`,
    sessionUntil: (time: string) => `Сеанс действует до ${time}.`,
    formExpired:
      'Форма устарела или отправлена не из консоли. Ничего не изменено. Обновите страницу и попробуйте снова.',
  },
  consolePetitions: consolePetitionsRu,
  consoleModeration: consoleModerationRu,
  consoleAccounts: consoleAccountsRu,
  consoleAbuse: consoleAbuseRu,
  time: {
    minutes: (n: number) => `${n} ${pluralRu(n, 'минуту', 'минуты', 'минут')}`,
    seconds: (n: number) => `${n} ${pluralRu(n, 'секунду', 'секунды', 'секунд')}`,
  },
};

function pluralRu(n: number, one: string, few: string, many: string): string {
  const rule = RU_PLURALS.select(n);
  return rule === 'one' ? one : rule === 'few' ? few : many;
}
const RU_PLURALS = new Intl.PluralRules('ru');
