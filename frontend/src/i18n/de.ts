import type en from './en';

const de: typeof en = {
  app: { name: 'Chorus', loading: 'Wird geladen…', offline: 'Verbindung verloren. Verbinde erneut…', networkError: 'Keine Verbindung zum Server. Bitte erneut versuchen.' },
  auth: {
    login: 'Anmelden',
    register: 'Konto erstellen',
    username: 'Benutzername',
    email: 'E-Mail',
    password: 'Passwort',
    displayName: 'Anzeigename (optional)',
    noAccount: 'Noch kein Konto?',
    haveAccount: 'Schon ein Konto?',
    logout: 'Abmelden',
    working: 'Bitte warten…',
  },
  chats: {
    title: 'Chats',
    empty: 'Noch keine Chats.',
    unread: '{n} ungelesen',
    attachment: 'Anhang',
    noMessages: 'Noch keine Nachrichten',
    members: '{n} Mitglieder',
    list: 'Chatliste',
    pinned: 'Angeheftet',
    online: 'online',
  },
  chat: {
    history: 'Nachrichten',
    loadingOlder: 'Ältere Nachrichten werden geladen…',
    start: 'Hier beginnt der Chat.',
    empty: 'Noch keine Nachrichten. Sag Hallo!',
    placeholder: 'Nachricht schreiben…',
    message: 'Nachricht',
    send: 'Senden',
    back: 'Zurück zu den Chats',
    pick: 'Wähle einen Chat aus, um zu schreiben.',
    edited: 'bearbeitet',
    notFound: 'Dieser Chat ist nicht verfügbar.',
  },
};
export default de;
