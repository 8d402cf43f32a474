// The message list: separators, the unread divider, the "N new" pill, jumps and in-chat search.
const en = {
  history: {
    today: 'Today',
    yesterday: 'Yesterday',
    unread: 'Unread messages',
    newMessages: '{n} new',
    newMessagesLabel: '{n} new messages, go to the newest',
    loadingNewer: 'Loading newer messages…',
    notFound: 'This message is not available.',
  },
  chatSearch: {
    open: 'Search in chat',
    close: 'Close search',
    field: 'Search messages',
    placeholder: 'Search in this chat…',
    results: 'Search results',
    older: 'Older result',
    newer: 'Newer result',
    position: '{i} of {n}',
    positionMore: '{i} of {n}+',
    none: 'No messages found.',
    searching: 'Searching…',
    more: 'Show more results',
  },
};

const ru: typeof en = {
  history: {
    today: 'Сегодня',
    yesterday: 'Вчера',
    unread: 'Непрочитанные сообщения',
    newMessages: '{n} новых',
    newMessagesLabel: 'Новых сообщений: {n}, перейти к последним',
    loadingNewer: 'Загрузка новых сообщений…',
    notFound: 'Это сообщение недоступно.',
  },
  chatSearch: {
    open: 'Поиск в чате',
    close: 'Закрыть поиск',
    field: 'Поиск сообщений',
    placeholder: 'Поиск в этом чате…',
    results: 'Результаты поиска',
    older: 'Более ранний результат',
    newer: 'Более поздний результат',
    position: '{i} из {n}',
    positionMore: '{i} из {n}+',
    none: 'Сообщения не найдены.',
    searching: 'Поиск…',
    more: 'Показать ещё',
  },
};

const de: typeof en = {
  history: {
    today: 'Heute',
    yesterday: 'Gestern',
    unread: 'Ungelesene Nachrichten',
    newMessages: '{n} neu',
    newMessagesLabel: '{n} neue Nachrichten, zu den neuesten springen',
    loadingNewer: 'Neuere Nachrichten werden geladen…',
    notFound: 'Diese Nachricht ist nicht verfügbar.',
  },
  chatSearch: {
    open: 'Im Chat suchen',
    close: 'Suche schließen',
    field: 'Nachrichten durchsuchen',
    placeholder: 'In diesem Chat suchen…',
    results: 'Suchergebnisse',
    older: 'Älteres Ergebnis',
    newer: 'Neueres Ergebnis',
    position: '{i} von {n}',
    positionMore: '{i} von {n}+',
    none: 'Keine Nachrichten gefunden.',
    searching: 'Suche läuft…',
    more: 'Weitere Ergebnisse',
  },
};

export default { en, ru, de };
