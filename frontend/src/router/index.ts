import { createRouter, createWebHistory, type RouteLocationNormalized } from 'vue-router';
import { useSessionStore } from '../stores/session';

const guestOnly = new Set(['login', 'register']);

export function makeRouter() {
  const router = createRouter({
    history: createWebHistory(),
    routes: [
      { path: '/', redirect: '/app' },
      { path: '/login', name: 'login', component: () => import('../views/LoginView.vue') },
      { path: '/register', name: 'register', component: () => import('../views/RegisterView.vue') },
      { path: '/app', name: 'app', component: () => import('../views/HomeView.vue') },
      { path: '/c/:id(\\d+)/:messageId(\\d+)?', name: 'chat', component: () => import('../views/HomeView.vue') },
      { path: '/:rest(.*)*', redirect: '/app' },
    ],
  });
  router.beforeEach((to: RouteLocationNormalized) => {
    const session = useSessionStore();
    const name = String(to.name ?? '');
    if (!session.loggedIn && !guestOnly.has(name)) {
      // The deep link survives the login.
      return { name: 'login', query: to.fullPath === '/app' ? {} : { next: to.fullPath } };
    }
    if (session.loggedIn && guestOnly.has(name)) return { name: 'app' };
    return true;
  });
  return router;
}
