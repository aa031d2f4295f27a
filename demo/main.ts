// Placeholder page until the demo lands: registers the worker and says whether it controls the page.
const statusLine = document.querySelector('#status');
navigator.serviceWorker
  .register('./sw.js', { scope: './' })
  .then(() => navigator.serviceWorker.ready)
  .then(() => {
    if (statusLine) statusLine.textContent = 'The cache worker is active.';
  })
  .catch((error: unknown) => {
    if (statusLine) statusLine.textContent = `Worker registration failed: ${String(error)}`;
  });
export {};
