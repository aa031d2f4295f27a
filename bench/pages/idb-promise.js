// Promise views of raw IndexedDB requests and transactions, shared by the raw-IndexedDB contenders.

/** Resolves when the transaction commits; rejects when it errors or aborts. */
export const done = (tx) =>
  new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve(undefined);
    tx.onerror = tx.onabort = () => reject(tx.error);
  });

/** Resolves with the request's result. */
export const request = (req) =>
  new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
