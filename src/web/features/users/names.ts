import { useCallback, useSyncExternalStore } from "react";
import { api } from "../../app/api.js";
import { useSession } from "../../app/session.js";

/**
 * Display names of members by id, for owner columns, authors and hints.
 * Asking for an unknown id during render queues it; the queued ids are
 * fetched together (GET /api/v1/users/names, 100 per request) and every
 * component using the hook re-renders once they arrive. Open to any member:
 * no user:read needed.
 */
/** Of the current workspace only (another has other members): cleared on a switch. */
let workspace = "";
const names = new Map<string, string | null>();
const queued = new Set<string>();
const listeners = new Set<() => void>();
let version = 0;
let timer: ReturnType<typeof setTimeout> | undefined;

const BATCH = 100;

async function flush() {
  timer = undefined;
  const ids = [...queued];
  queued.clear();
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = ids.slice(i, i + BATCH);
    try {
      const res = await api.get<{ items: { id: string; name: string }[] }>("/api/v1/users/names", { ids: batch.join(",") });
      for (const id of batch) names.set(id, null); // not a member (any more): shown as "—"
      for (const u of res.items) names.set(u.id, u.name);
    } catch {
      // Asked again on a later render.
      for (const id of batch) names.delete(id);
    }
  }
  version++;
  for (const l of listeners) l();
}

function request(id: string) {
  if (names.has(id) || queued.has(id)) return;
  names.set(id, null);
  queued.add(id);
  // After this render pass, so one request carries all ids a page asks for.
  timer ??= setTimeout(() => void flush(), 0);
}

/** Forget every name (after a user was renamed or removed). */
export function forgetUserNames() {
  names.clear();
  version++;
  for (const l of listeners) l();
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

export function useUserNames(): (id: string | null | undefined) => string | undefined {
  const me = useSession();
  if (me.workspace.id !== workspace) {
    workspace = me.workspace.id;
    names.clear();
  }
  const v = useSyncExternalStore(subscribe, () => version);
  return useCallback(
    (id: string | null | undefined) => {
      if (!id) return undefined;
      if (id === me.user.id) return me.user.name;
      if (!names.has(id)) request(id);
      return names.get(id) ?? undefined;
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps -- v: a new function when names arrive
    [v, me.workspace.id, me.user.id, me.user.name],
  );
}
