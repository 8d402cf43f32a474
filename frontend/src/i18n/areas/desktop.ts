// Texts of the desktop app's screens (server address, its settings, the tray) and of the
// "Download the app" entry of the web app.
const en = {
  desktop: {
    server: {
      title: 'Your Chorus server',
      hint: 'Enter the address of the server you use, as in your browser.',
      address: 'Server address',
      connect: 'Connect',
      checking: 'Checking…',
      back: 'Back to the settings',
      problem: {
        empty: 'Enter the server address.',
        invalid: 'This is not a valid address.',
        scheme: 'The address must start with http:// or https://.',
        extra: 'Enter only the server address, without a query, fragment or password.',
        unreachable: 'The server does not answer. Check the address and your connection.',
        not_chorus: 'No Chorus server answers at this address.',
        unhealthy: 'The server answers but reports a problem. Try again later.',
        failed: 'The address could not be saved.',
      },
    },
    settings: {
      title: 'Desktop app',
      server: 'Server:',
      change: 'Change server',
      autostart: 'Start Chorus when I log in',
      autostartFailed: 'Could not change the start at login.',
    },
    tray: {
      tooltip: 'Chorus — {n} unread',
      tooltipNone: 'Chorus',
      show: 'Show Chorus',
      hide: 'Hide',
      quit: 'Quit',
    },
    download: {
      title: 'Download the app',
      hint: 'Chorus for your desktop, with notifications and a tray icon.',
      deb: 'Linux (.deb)',
      appimage: 'Linux (AppImage)',
      windows: 'Windows',
      macos: 'macOS',
    },
  },
};

const ru: typeof en = {
  desktop: {
    server: {
      title: 'Ваш сервер Chorus',
      hint: 'Введите адрес сервера, которым вы пользуетесь, как в браузере.',
      address: 'Адрес сервера',
      connect: 'Подключиться',
      checking: 'Проверяем…',
      back: 'Назад к настройкам',
      problem: {
        empty: 'Введите адрес сервера.',
        invalid: 'Это не похоже на адрес.',
        scheme: 'Адрес должен начинаться с http:// или https://.',
        extra: 'Введите только адрес сервера, без параметров, фрагмента и пароля.',
        unreachable: 'Сервер не отвечает. Проверьте адрес и подключение.',
        not_chorus: 'По этому адресу нет сервера Chorus.',
        unhealthy: 'Сервер отвечает, но сообщает о неполадке. Попробуйте позже.',
        failed: 'Не удалось сохранить адрес.',
      },
    },
    settings: {
      title: 'Приложение для компьютера',
      server: 'Сервер:',
      change: 'Сменить сервер',
      autostart: 'Запускать Chorus при входе в систему',
      autostartFailed: 'Не удалось изменить автозапуск.',
    },
    tray: {
      tooltip: 'Chorus — непрочитанных: {n}',
      tooltipNone: 'Chorus — всё прочитано',
      show: 'Показать Chorus',
      hide: 'Скрыть',
      quit: 'Выйти',
    },
    download: {
      title: 'Скачать приложение',
      hint: 'Chorus для компьютера: с уведомлениями и значком в трее.',
      deb: 'Linux (пакет .deb)',
      appimage: 'Linux (файл AppImage)',
      windows: 'Для Windows',
      macos: 'Для macOS',
    },
  },
};

const de: typeof en = {
  desktop: {
    server: {
      title: 'Ihr Chorus-Server',
      hint: 'Geben Sie die Adresse Ihres Servers ein, wie im Browser.',
      address: 'Serveradresse',
      connect: 'Verbinden',
      checking: 'Wird geprüft…',
      back: 'Zurück zu den Einstellungen',
      problem: {
        empty: 'Geben Sie die Serveradresse ein.',
        invalid: 'Das ist keine gültige Adresse.',
        scheme: 'Die Adresse muss mit http:// oder https:// beginnen.',
        extra: 'Nur die Serveradresse, ohne Abfrage, Fragment oder Passwort.',
        unreachable: 'Der Server antwortet nicht. Prüfen Sie Adresse und Verbindung.',
        not_chorus: 'Unter dieser Adresse antwortet kein Chorus-Server.',
        unhealthy: 'Der Server antwortet, meldet aber ein Problem. Versuchen Sie es später.',
        failed: 'Die Adresse konnte nicht gespeichert werden.',
      },
    },
    settings: {
      title: 'Desktop-App',
      server: 'Verbunden mit:',
      change: 'Server wechseln',
      autostart: 'Chorus bei der Anmeldung starten',
      autostartFailed: 'Der Start bei der Anmeldung konnte nicht geändert werden.',
    },
    tray: {
      tooltip: 'Chorus — {n} ungelesen',
      tooltipNone: 'Chorus — alles gelesen',
      show: 'Chorus anzeigen',
      hide: 'Ausblenden',
      quit: 'Beenden',
    },
    download: {
      title: 'App herunterladen',
      hint: 'Chorus für den Desktop, mit Benachrichtigungen und Tray-Symbol.',
      deb: 'Linux (.deb-Paket)',
      appimage: 'Linux (AppImage-Datei)',
      windows: 'Für Windows',
      macos: 'Für macOS',
    },
  },
};

export default { en, ru, de };
