import type en from './en';

const ru: typeof en = {
  app: { name: 'Chorus', loading: 'Загрузка…', offline: 'Нет соединения. Переподключаемся…', networkError: 'Нет связи с сервером. Попробуйте ещё раз.' },
  auth: {
    login: 'Войти',
    register: 'Создать аккаунт',
    username: 'Имя пользователя',
    email: 'Эл. почта',
    password: 'Пароль',
    displayName: 'Отображаемое имя (необязательно)',
    noAccount: 'Ещё нет аккаунта?',
    haveAccount: 'Уже есть аккаунт?',
    logout: 'Выйти',
    working: 'Подождите…',
  },
  chats: {
    title: 'Чаты',
    empty: 'Чатов пока нет.',
    unread: 'Непрочитанных: {n}',
    attachment: 'Вложение',
    noMessages: 'Сообщений пока нет',
    members: 'Участников: {n}',
    list: 'Список чатов',
    pinned: 'Закреплён',
    online: 'в сети',
  },
  chat: {
    history: 'Сообщения',
    loadingOlder: 'Загружаем более ранние сообщения…',
    start: 'Это начало чата.',
    empty: 'Здесь пока нет сообщений. Поздоровайтесь!',
    placeholder: 'Напишите сообщение…',
    message: 'Сообщение',
    send: 'Отправить',
    back: 'Назад к чатам',
    pick: 'Выберите чат, чтобы начать переписку.',
    edited: 'изменено',
    notFound: 'Этот чат недоступен.',
  },
};
export default ru;
