/**
 * What a thread still holds once it has closed everything: the active
 * resources Node reports (sockets, servers, timers), besides the message
 * port the thread reports on. Closed handles take an event-loop turn or two
 * to go, so this waits up to `maxWaitMs` for the list to empty.
 */
const IGNORED = new Set(['MessagePort', 'Immediate']);

function activeHandles(): string[] {
  return process.getActiveResourcesInfo().filter((r) => !IGNORED.has(r));
}

export async function leftoverHandles(maxWaitMs = 500): Promise<string[]> {
  const step = 25;
  for (let waited = 0; waited < maxWaitMs; waited += step) {
    if (activeHandles().length === 0) return [];
    await new Promise((resolve) => setTimeout(resolve, step));
  }
  return activeHandles();
}
