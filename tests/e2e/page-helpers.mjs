// Functions the end-to-end tests run inside the replica page (passed to
// `b.run`, so each is self-contained: it is sent as its source).

/** Puts `text` in the box at `sel` as typing would (focus, value, input). */
export function setBox([sel, text]) {
  const box = document.querySelector(sel);
  box.focus();
  box.value = text;
  box.dispatchEvent(new Event('input', { bubbles: true }));
  return true;
}

/** Clicks the send button of the composer that holds `sel`. */
export function clickSend(sel) {
  const box = document.querySelector(sel);
  for (let n = box.parentElement; n; n = n.parentElement) {
    const send = n.querySelector('button.woo-button-primary');
    if (send) {
      send.click();
      return true;
    }
  }
  return false;
}
