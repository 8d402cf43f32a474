// Browser notifications on or off for this browser (minimal: the chat-list area
// shows them; this store only keeps the choice and asks the browser's permission).
import { defineStore } from 'pinia';
import { ref } from 'vue';

const KEY = 'chorus.notifications';

export type Permission = NotificationPermission | 'unsupported';

function currentPermission(): Permission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

export const useNotificationsStore = defineStore('notifications', () => {
  const enabled = ref(globalThis.localStorage?.getItem(KEY) === 'on' && currentPermission() === 'granted');
  const permission = ref<Permission>(currentPermission());

  function persist(): void {
    try {
      localStorage.setItem(KEY, enabled.value ? 'on' : 'off');
    } catch {
      // storage unavailable: the choice lasts for this tab
    }
  }

  /** Turning them on asks for the permission first; a refusal leaves them off. */
  async function setEnabled(on: boolean): Promise<void> {
    if (on && permission.value !== 'granted') {
      permission.value = permission.value === 'unsupported' ? 'unsupported' : await Notification.requestPermission();
      if (permission.value !== 'granted') {
        enabled.value = false;
        persist();
        return;
      }
    }
    enabled.value = on;
    persist();
  }

  return { enabled, permission, setEnabled };
});
