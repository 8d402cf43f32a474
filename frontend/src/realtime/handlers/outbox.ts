// Every (re)connection of the WebSocket means the server is reachable again: the
// outbox sends what waited meanwhile (and, after a reload, what the last visit left).
import type { On } from '../../stores/realtime';
import { useOutboxStore } from '../../stores/outbox';

export default function install(on: On): void {
  on('auth_ok', () => useOutboxStore().online());
}
