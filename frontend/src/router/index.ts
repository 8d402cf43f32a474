import { createRouter, createWebHistory, type RouteLocationNormalized } from 'vue-router';
import { inDesktopApp, serverAddress } from '../platform/server';
import { useSessionStore } from '../stores/session';

const guestOnly = new Set(['login', 'register']);
/** Open with or without a session: an invite's preview needs no login (§8.4). */
const anyone = new Set(['join', 'server']);

/** Where a navigation goes: logged-out visitors to the login, keeping the deep link in `next`. */
export function guard(to: Pick<RouteLocationNormalized, 'name' | 'fullPath'>, loggedIn: boolean) {
  const name = String(to.name ?? '');
  if (anyone.has(name)) return true;
  if (!loggedIn && !guestOnly.has(name)) {
    // The deep link survives the login.
    return { name: 'login', query: to.fullPath === '/app' ? {} : { next: to.fullPath } };
  }
  if (loggedIn && guestOnly.has(name)) return { name: 'app' };
  return true;
}

export const routes = [
  { path: '/', redirect: '/app' },
  { path: '/login', name: 'login', component: () => import('../views/LoginView.vue') },
  { path: '/register', name: 'register', component: () => import('../views/RegisterView.vue') },
  { path: '/app', name: 'app', component: () => import('../views/HomeView.vue') },
  { path: '/c/:id(\\d+)/:messageId(\\d+)?', name: 'chat', component: () => import('../views/HomeView.vue') },
  // A public channel by its name (§7.5): any name that is not all digits.
  { path: '/c/:name([^/]*[^\\d/][^/]*)', name: 'channel', component: () => import('../views/PublicChatView.vue') },
  // Settings live at `/u/me`, not `/settings`: that path is the API's `GET /settings`
  // on the same host (§1.1), and only the routes of §15.4 reload into the app.
  { path: '/u/me', name: 'settings', component: () => import('../views/SettingsView.vue') },
  { path: '/settings', redirect: '/u/me' },
  { path: '/u/:id(\\d+)', name: 'user', component: () => import('../views/ProfileView.vue') },
  { path: '/@:username', name: 'username', component: () => import('../views/ProfileView.vue') },
  { path: '/dm/:id(\\d+)', name: 'dm', component: () => import('../views/DirectView.vue') },
  { path: '/join/:token', name: 'join', component: () => import('../views/JoinView.vue') },
  // The desktop app's server address (first start, and changed from the settings).
  { path: '/server', name: 'server', component: () => import('../views/ServerView.vue') },
  // The admin panel (§15.4: /admin, /admin/{x}, /admin/{x}/{y}); the frame refuses non-admins.
  {
    path: '/admin',
    component: () => import('../views/admin/AdminLayout.vue'),
    children: [
      { path: '', name: 'admin', component: () => import('../views/admin/DashboardView.vue') },
      { path: 'users', name: 'admin-users', component: () => import('../views/admin/UsersView.vue') },
      { path: 'users/:id(\\d+)', name: 'admin-user', component: () => import('../views/admin/UserDetailView.vue') },
      { path: 'messages', name: 'admin-messages', component: () => import('../views/admin/MessagesView.vue') },
      { path: 'support', name: 'admin-support', component: () => import('../views/admin/SupportView.vue') },
      { path: 'audit', name: 'admin-audit', component: () => import('../views/admin/AuditView.vue') },
      { path: ':rest(.*)*', redirect: { name: 'admin' } },
    ],
  },
  { path: '/:rest(.*)*', redirect: '/app' },
];

export function makeRouter() {
  const router = createRouter({ history: createWebHistory(), routes });
  router.beforeEach((to: RouteLocationNormalized) => {
    // The desktop app asks for its server before anything else; the browser has its own.
    const desktop = inDesktopApp();
    if (desktop && !serverAddress()) return to.name === 'server' ? true : { name: 'server' };
    if (!desktop && to.name === 'server') return { name: 'app' };
    return guard(to, useSessionStore().loggedIn);
  });
  return router;
}
