// Kefu's content script, last of the isolated-world files: starts what the
// others set up and tells the background what it found on this page (for the
// popup). The parts: selectors.js (every selector), core.js (messages,
// settings, words), comments.js (store, triage, marks), guard.js (verdicts,
// send guard, overlay, drafts), queue.js (the side panel). main-world.js runs
// in the page's own world and hands over Weibo's comment JSON.

globalThis.Kefu.boot(() => {
  'use strict';

  const { tell, ready, settings } = globalThis.Kefu;
  const S = globalThis.KefuSelectors;
  const C = globalThis.Kefu.comments;

  // Today's counts per category and urgency, once per comment (popup chart).
  const counted = new Set();
  C.listeners.push(() => {
    for (const e of C.store.values()) {
      if (!e.result || counted.has(e.key)) continue;
      counted.add(e.key);
      tell('kefu:counts', { category: e.result.category, urgency: e.result.urgency });
    }
  });

  /** What needs the agent now: unanswered urgent comments (紧急, 优先),
   *  and unanswered comments past their response target. */
  function needs() {
    const isAnswered = C.answeredTest();
    let urgent = 0;
    let overdue = 0;
    for (const e of C.store.values()) {
      const r = C.judged(e);
      if (!r || isAnswered(e)) continue;
      if (r.urgency === 'critical' || r.urgency === 'high') urgent += 1;
      const target = settings.targets[r.urgency];
      if (e.created && target && Date.now() - e.created >= target * 60000) overdue += 1;
    }
    return { urgent, overdue };
  }

  // Whether this page was recognised (the app root or comment rows), and what needs the agent.
  let reported = null;
  function report() {
    const recognised = !!document.querySelector(S.appRoot) || document.querySelector(S.commentItem) !== null;
    const { urgent, overdue } = needs();
    const state = `${recognised}|${C.store.size}|${urgent}|${overdue}`;
    if (state === reported) return;
    reported = state;
    tell('kefu:page', { recognised, comments: C.store.size, urgent, overdue });
  }
  C.listeners.push(report);
  ready.then(report);
});
