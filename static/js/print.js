// A printed release names the moment it was printed, in the reader's clock and language: the
// server cannot (the page is cached). Without JavaScript the print line still names the source
// and the time the release is current as of.
addEventListener('beforeprint', () => {
  const when = new Date().toLocaleString(document.documentElement.lang || undefined, { dateStyle: 'medium', timeStyle: 'short' });
  for (const el of document.querySelectorAll('.print-date')) el.textContent = ` · ${el.dataset.label} ${when}`;
});
